import { describe, expect, it } from "vitest";
import { loadPaymentConfig } from "@/server/config/payments";
import { FAKE_DEFAULTS } from "@/server/config/payment-fake-defaults";

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

  describe("in production (NODE_ENV=production)", () => {
    const stripe = { STRIPE_SECRET_KEY: "sk_live_x" };
    const paypal = { PAYPAL_CLIENT_ID: "id", PAYPAL_CLIENT_SECRET: "secret" };
    const adyen = { ADYEN_API_KEY: "k", ADYEN_MERCHANT_ACCOUNT: "m", ADYEN_HMAC_KEY: "h" };
    const production = { NODE_ENV: "production" };

    it("refuses to start when a provider has no credentials, naming each such provider and its missing variables", () => {
      expect(() => loadPaymentConfig(production)).toThrow(
        "Payment configuration: NODE_ENV=production and no credentials for Stripe (STRIPE_SECRET_KEY), PayPal (PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET), Adyen (ADYEN_API_KEY, ADYEN_MERCHANT_ACCOUNT, ADYEN_HMAC_KEY). Production never falls back to the provider fake: set the missing variables, or set PROVIDER_FAKE=on to use the fake on purpose.",
      );
      expect(() => loadPaymentConfig({ ...production, ...stripe, ...adyen })).toThrow(/no credentials for PayPal \(PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET\)\. /);
      expect(() => loadPaymentConfig({ ...production, ...stripe, ...paypal })).toThrow(/no credentials for Adyen \(ADYEN_API_KEY, ADYEN_MERCHANT_ACCOUNT, ADYEN_HMAC_KEY\)\. /);
      // PROVIDER_FAKE=off only stops the fake being started; it does not allow a provider without credentials.
      expect(() => loadPaymentConfig({ ...production, ...paypal, ...adyen, PROVIDER_FAKE: "off" })).toThrow(/no credentials for Stripe \(STRIPE_SECRET_KEY\)\. /);
    });

    it("starts with every provider's credentials, all on the real APIs", () => {
      const config = loadPaymentConfig({ ...production, ...stripe, ...paypal, ...adyen });
      expect([config.stripe.mode, config.paypal.mode, config.adyen.mode]).toEqual(["real", "real", "real"]);
    });

    it("uses the fake for the providers without credentials only when PROVIDER_FAKE=on asks for it", () => {
      const config = loadPaymentConfig({ ...production, ...stripe, PROVIDER_FAKE: "on" });
      expect([config.stripe.mode, config.paypal.mode, config.adyen.mode]).toEqual(["real", "fake", "fake"]);
    });

    it("outside production, a provider without credentials still uses the fake", () => {
      expect(loadPaymentConfig({ NODE_ENV: "development", ...stripe }).paypal.mode).toBe("fake");
    });
  });
});
