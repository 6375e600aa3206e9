import { FAKE_DEFAULTS } from "../server/config/payment-fake-defaults";
import { startProviderFake } from "../fakes/payments/server";

/*
 * `npx tsx scripts/provider-fake.ts`: the Stripe/PayPal/Adyen stand-in on loopback, for development.
 * Ports follow PROVIDER_FAKE_URL / PROVIDER_FAKE_ADYEN_URL (the adapters' settings), notifications
 * go to PROVIDER_FAKE_WEBHOOK_URL (default: the app at NEXTAUTH_URL or http://localhost:3000), and
 * the signing secrets are the ones the app's fake mode expects unless set in the environment.
 */

const env = process.env;
const portOf = (url: string) => Number(new URL(url).port);

const fake = await startProviderFake({
  port: portOf(env.PROVIDER_FAKE_URL || FAKE_DEFAULTS.url),
  adyenPort: portOf(env.PROVIDER_FAKE_ADYEN_URL || FAKE_DEFAULTS.adyenUrl),
  webhookBaseUrl: env.PROVIDER_FAKE_WEBHOOK_URL || env.NEXTAUTH_URL || "http://localhost:3000",
  adyenHmacKey: env.ADYEN_HMAC_KEY || FAKE_DEFAULTS.adyenHmacKey,
  stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || FAKE_DEFAULTS.stripeWebhookSecret,
  paypalWebhookId: env.PAYPAL_WEBHOOK_ID || FAKE_DEFAULTS.paypalWebhookId,
});

console.log(`Provider fake: Stripe + PayPal on ${fake.url}, Adyen on ${fake.adyenUrl}`);
console.log(`Notifications to ${fake.settings.webhookBaseUrl}/api/webhooks/{stripe,paypal,adyen}`);
console.log(`Admin: POST ${fake.url}/_fake/payments · GET ${fake.url}/_fake/payments/:provider/:reference · POST ${fake.url}/_fake/faults · POST ${fake.url}/_fake/reset`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await fake.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
