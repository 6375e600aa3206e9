import { describe, expect, it } from "vitest";
import { loadPaymentConfig } from "./config";
import { FAKE_DEFAULTS } from "./fake/defaults";

describe("loadPaymentConfig", () => {
  it("uses the provider fake for every provider without credentials", () => {
    const config = loadPaymentConfig({});

    expect(config.stripe).toMatchObject({ mode: "fake", baseUrl: FAKE_DEFAULTS.url });
    expect(config.paypal).toMatchObject({ mode: "fake", baseUrl: FAKE_DEFAULTS.url });
    expect(config.adyen).toMatchObject({ mode: "fake", baseUrl: FAKE_DEFAULTS.adyenUrl, hmacKey: FAKE_DEFAULTS.adyenHmacKey });
    expect(config.resilience).toMatchObject({ timeoutMs: 5_000, attempts: 3 });
  });

  it("switches each provider to the real API when its credentials are present", () => {
    const config = loadPaymentConfig({
      STRIPE_SECRET_KEY: "sk_live_x",
      PAYPAL_CLIENT_ID: "id",
      PAYPAL_CLIENT_SECRET: "secret",
      PAYPAL_ENVIRONMENT: "production",
      PROVIDER_FAKE_URL: "http://127.0.0.1:9999/",
    });

    expect(config.stripe).toEqual({ mode: "real", secretKey: "sk_live_x", webhookSecret: undefined });
    expect(config.paypal).toMatchObject({ mode: "real", environment: "production" });
    expect(config.adyen).toMatchObject({ mode: "fake", baseUrl: FAKE_DEFAULTS.adyenUrl });
  });

  it("refuses half a set of credentials instead of silently using the fake", () => {
    expect(() => loadPaymentConfig({ PAYPAL_CLIENT_ID: "id" })).toThrow(/PAYPAL_CLIENT_SECRET missing/);
    expect(() => loadPaymentConfig({ ADYEN_API_KEY: "k", ADYEN_MERCHANT_ACCOUNT: "m" })).toThrow(/ADYEN_HMAC_KEY missing/);
  });

  it("refuses malformed numbers and environments", () => {
    expect(() => loadPaymentConfig({ PAYMENT_PROVIDER_TIMEOUT_MS: "5s" })).toThrow(/PAYMENT_PROVIDER_TIMEOUT_MS/);
    expect(() =>
      loadPaymentConfig({ PAYPAL_CLIENT_ID: "i", PAYPAL_CLIENT_SECRET: "s", PAYPAL_ENVIRONMENT: "live" }),
    ).toThrow(/PAYPAL_ENVIRONMENT/);
  });
});
