import { adyenWebhookItems } from "@/server/payments/webhook-items";
import { webhookRoute } from "@/server/rest/webhook-handler";

// Adyen expects the body "[accepted]" once a notification is stored.
export const POST = webhookRoute(adyenWebhookItems, "[accepted]");
