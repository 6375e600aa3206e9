/**
 * Well-known values of the adapters' fake mode, which the provider fake (fakes/payments/) answers
 * to. They protect nothing: the fake listens on loopback and moves no money. They live here, not
 * in fakes/, because production code never imports a fake.
 */
export const FAKE_DEFAULTS = {
  url: "http://127.0.0.1:4010",
  adyenUrl: "https://127.0.0.1:4011",
  port: 4010,
  adyenPort: 4011,
  stripeSecretKey: "sk_test_provider_fake",
  stripeWebhookSecret: "whsec_provider_fake",
  paypalClientId: "provider-fake-client",
  paypalClientSecret: "provider-fake-secret",
  paypalWebhookId: "WH-PROVIDER-FAKE",
  adyenApiKey: "provider-fake-adyen-key",
  adyenMerchantAccount: "ProviderFakeMerchant",
  // Hex, as Adyen issues HMAC keys.
  adyenHmacKey: "5d3f0e6c1a9b47e2a8c4d6f1b3e5a7c9d2f4b6a8c0e2d4f6a8b0c2d4e6f8a0b2",
  // Relative to the repository root (the working directory of dev server, tests and scripts).
  certPath: "fakes/payments/certs/cert.pem",
} as const;
