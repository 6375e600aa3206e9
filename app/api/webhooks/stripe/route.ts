import { getConfig } from "@/server/config";
import { verifyStripeSignature } from "@/server/payments/webhooks";
import { webhookRoute } from "@/server/rest/webhook-handler";

export const POST = webhookRoute(async (rawBody, req) => {
  const secret = getConfig().payments.stripe.webhookSecret;
  if (!secret) throw new Error("STRIPE_WEBHOOK_SECRET is not configured");
  return [async () => verifyStripeSignature(rawBody, req.headers.get("stripe-signature") ?? undefined, secret)];
});
