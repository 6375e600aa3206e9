import { getConfig } from "@/server/config";
import { verifyPaypalWebhook } from "@/server/payments/webhooks";
import { webhookRoute } from "@/server/rest/webhook-handler";

export const POST = webhookRoute(async (rawBody, req) => [() => verifyPaypalWebhook({ headers: req.headers, rawBody }, getConfig().payments.paypal)]);
