import { getConfig } from "@/server/config";
import { adyenNotificationEntries, adyenNotificationItem, verifyAdyenHmac, WebhookVerificationError } from "@/server/payments/webhooks";
import { webhookRoute } from "@/server/rest/webhook-handler";

// Adyen expects the body "[accepted]" once a notification is stored; each item of a batch is verified and settled on its own.
export const POST = webhookRoute(async (rawBody) => {
  const hmacKey = getConfig().payments.adyen.hmacKey;
  if (!hmacKey) throw new Error("ADYEN_HMAC_KEY is not configured");
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new WebhookVerificationError("Adyen notification is not JSON");
  }
  return adyenNotificationEntries(body).map((entry) => async () => verifyAdyenHmac(adyenNotificationItem(entry), hmacKey));
}, "[accepted]");
