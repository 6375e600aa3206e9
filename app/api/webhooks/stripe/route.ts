import { stripeWebhookItems } from "@/server/payments/webhook-items";
import { webhookRoute } from "@/server/rest/webhook-handler";

export const POST = webhookRoute(stripeWebhookItems);
