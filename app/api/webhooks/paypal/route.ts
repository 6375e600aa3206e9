import { loadPaymentConfig } from "@/server/payments/registry";
import { verifyPaypalWebhook } from "@/server/payments/webhooks";
import { webhookRoute } from "@/server/rest/webhook-handler";

export const POST = webhookRoute(async (rawBody, req) => [() => verifyPaypalWebhook({ headers: req.headers, rawBody }, loadPaymentConfig().paypal)]);
