import type { PaymentConfig } from "@/server/config/payments";
import { adyenNotificationEntries, adyenNotificationItem, type PaymentWebhookEvent, verifyAdyenHmac, verifyPaypalWebhook, verifyStripeSignature, WebhookVerificationError } from "./webhooks";

/*
 * The payment providers' webhook deliveries, one use-case each: from the raw body and headers to
 * the delivery's notifications, each verified when called (so that one forged item of an Adyen
 * batch does not stop the others). The route handlers (app/api/webhooks/*) only hand them the
 * request; server/rest/webhook-handler.ts settles each item.
 */

/** One notification of a delivery, verified when called. */
export type WebhookItem = () => Promise<PaymentWebhookEvent>;

export type WebhookItems = (rawBody: string, headers: Headers, config: PaymentConfig) => Promise<WebhookItem[]>;

export const stripeWebhookItems: WebhookItems = async (rawBody, headers, config) => {
  const secret = config.stripe.webhookSecret;
  if (!secret) throw new Error("STRIPE_WEBHOOK_SECRET is not configured");
  return [async () => verifyStripeSignature(rawBody, headers.get("stripe-signature") ?? undefined, secret)];
};

export const paypalWebhookItems: WebhookItems = async (rawBody, headers, config) => [() => verifyPaypalWebhook({ headers, rawBody }, config.paypal)];

/** Adyen batches notifications; each item carries its own HMAC. */
export const adyenWebhookItems: WebhookItems = async (rawBody, _headers, config) => {
  const hmacKey = config.adyen.hmacKey;
  if (!hmacKey) throw new Error("ADYEN_HMAC_KEY is not configured");
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new WebhookVerificationError("Adyen notification is not JSON");
  }
  return adyenNotificationEntries(body).map((entry) => async () => verifyAdyenHmac(adyenNotificationItem(entry), hmacKey));
};
