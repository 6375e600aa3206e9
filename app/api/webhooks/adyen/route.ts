import { loadPaymentConfig } from "@/server/payments/registry";
import { adyenNotificationItems, verifyAdyenHmac, WebhookVerificationError } from "@/server/payments/webhooks";
import { webhookRoute } from "@/server/rest/webhook-handler";

// Adyen expects the body "[accepted]" once a notification is stored.
export const POST = webhookRoute(async (rawBody) => {
  const hmacKey = loadPaymentConfig().adyen.hmacKey;
  if (!hmacKey) throw new Error("ADYEN_HMAC_KEY is not configured");
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new WebhookVerificationError("Adyen notification is not JSON");
  }
  return adyenNotificationItems(body).map((item) => verifyAdyenHmac(item, hmacKey));
}, "[accepted]");
