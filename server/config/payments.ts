import path from "node:path";
import { FAKE_DEFAULTS } from "./payment-fake-defaults";
import { DEFAULT_RESILIENCE, type ResilienceConfig } from "./resilience";

/*
 * Each provider runs against the real API when its credentials are in the environment, and
 * against the loopback provider fake otherwise. Half a set of credentials is a configuration error,
 * never a silent fallback to the fake; in production (NODE_ENV=production) so is a provider without
 * credentials, unless PROVIDER_FAKE=on asks for the fake explicitly (`npm start` sets it when it
 * starts the fake).
 */

export type StripeConfig =
  | { mode: "real"; secretKey: string; webhookSecret: string | undefined }
  | { mode: "fake"; baseUrl: string; secretKey: string; webhookSecret: string };

export type PaypalConfig =
  | {
      mode: "real";
      clientId: string;
      clientSecret: string;
      environment: "sandbox" | "production";
      webhookId: string | undefined;
    }
  | { mode: "fake"; baseUrl: string; clientId: string; clientSecret: string; webhookId: string };

export type AdyenConfig =
  | {
      mode: "real";
      apiKey: string;
      merchantAccount: string;
      hmacKey: string;
      environment: "test" | "live";
      liveUrlPrefix: string | undefined;
    }
  | {
      mode: "fake";
      baseUrl: string;
      apiKey: string;
      merchantAccount: string;
      hmacKey: string;
      /** PEM file of the fake's self-signed certificate: trusted for this client only. */
      caCertPath: string;
    };

/**
 * SPEC §6 "Provider outcomes": an `unknown` operation is retried under the same idempotency key
 * with backoff, across worker restarts, until `horizonMs` after its first attempt; an accepted
 * operation waits that long for its confirmation. Then the provider is asked, and only what it
 * proves (or, failing that, a task marked "verify at the provider first") goes to a person.
 */
export interface UncertaintyPolicy {
  horizonMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_UNCERTAINTY: UncertaintyPolicy = { horizonMs: 4 * 3_600_000, retryBaseMs: 5_000, retryMaxMs: 10 * 60_000 };

export interface PaymentConfig {
  resilience: ResilienceConfig;
  uncertainty: UncertaintyPolicy;
  /** The provider fake's plain-HTTP origin (admin endpoints); used only for providers in fake mode. */
  fakeUrl: string;
  stripe: StripeConfig;
  paypal: PaypalConfig;
  adyen: AdyenConfig;
}

type Env = Record<string, string | undefined>;

/** The variables that switch each provider to its real API. */
export const PROVIDER_CREDENTIALS = {
  stripe: { label: "Stripe", variables: ["STRIPE_SECRET_KEY"] },
  paypal: { label: "PayPal", variables: ["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET"] },
  adyen: { label: "Adyen", variables: ["ADYEN_API_KEY", "ADYEN_MERCHANT_ACCOUNT", "ADYEN_HMAC_KEY"] },
} as const;

export function loadPaymentConfig(env: Env): PaymentConfig {
  const config = readPaymentConfig(env);
  refuseFakeInProduction(env, config);
  return config;
}

/**
 * Production never falls back to the fake: a provider left on the fake there is a start-up error
 * naming the provider and what is missing, unless PROVIDER_FAKE=on says the fake is meant.
 */
function refuseFakeInProduction(env: Env, config: PaymentConfig): void {
  if (env.NODE_ENV !== "production" || env.PROVIDER_FAKE === "on") return;
  const missing = (["stripe", "paypal", "adyen"] as const)
    .filter((provider) => config[provider].mode === "fake")
    .map((provider) => {
      const { label, variables } = PROVIDER_CREDENTIALS[provider];
      return `${label} (${variables.filter((name) => !env[name]).join(", ")})`;
    });
  if (missing.length === 0) return;
  throw new Error(
    `Payment configuration: NODE_ENV=production and no credentials for ${missing.join(", ")}. ` +
      "Production never falls back to the provider fake: set the missing variables, or set PROVIDER_FAKE=on to use the fake on purpose.",
  );
}

function readPaymentConfig(env: Env): PaymentConfig {
  const fakeUrl = trimSlash(env.PROVIDER_FAKE_URL || FAKE_DEFAULTS.url);
  const fakeAdyenUrl = trimSlash(env.PROVIDER_FAKE_ADYEN_URL || FAKE_DEFAULTS.adyenUrl);
  return {
    fakeUrl,
    resilience: {
      timeoutMs: int(env, "PAYMENT_PROVIDER_TIMEOUT_MS", DEFAULT_RESILIENCE.timeoutMs),
      attempts: int(env, "PAYMENT_PROVIDER_ATTEMPTS", DEFAULT_RESILIENCE.attempts),
      baseDelayMs: int(env, "PAYMENT_PROVIDER_RETRY_BASE_MS", DEFAULT_RESILIENCE.baseDelayMs),
      maxDelayMs: int(env, "PAYMENT_PROVIDER_RETRY_MAX_MS", DEFAULT_RESILIENCE.maxDelayMs),
      breakerThreshold: int(env, "PAYMENT_BREAKER_THRESHOLD", DEFAULT_RESILIENCE.breakerThreshold),
      halfOpenAfterMs: int(env, "PAYMENT_BREAKER_HALF_OPEN_MS", DEFAULT_RESILIENCE.halfOpenAfterMs),
    },
    uncertainty: {
      horizonMs: int(env, "PROVIDER_UNKNOWN_HORIZON_MS", DEFAULT_UNCERTAINTY.horizonMs),
      retryBaseMs: int(env, "PROVIDER_UNKNOWN_RETRY_BASE_MS", DEFAULT_UNCERTAINTY.retryBaseMs),
      retryMaxMs: int(env, "PROVIDER_UNKNOWN_RETRY_MAX_MS", DEFAULT_UNCERTAINTY.retryMaxMs),
    },
    stripe: env.STRIPE_SECRET_KEY
      ? { mode: "real", secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET }
      : {
          mode: "fake",
          baseUrl: fakeUrl,
          secretKey: FAKE_DEFAULTS.stripeSecretKey,
          webhookSecret: env.STRIPE_WEBHOOK_SECRET || FAKE_DEFAULTS.stripeWebhookSecret,
        },
    paypal: requireAllOrNone(env, ["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET"])
      ? {
          mode: "real",
          clientId: env.PAYPAL_CLIENT_ID!,
          clientSecret: env.PAYPAL_CLIENT_SECRET!,
          environment: oneOf(env, "PAYPAL_ENVIRONMENT", ["sandbox", "production"] as const, "sandbox"),
          webhookId: env.PAYPAL_WEBHOOK_ID,
        }
      : {
          mode: "fake",
          baseUrl: fakeUrl,
          clientId: FAKE_DEFAULTS.paypalClientId,
          clientSecret: FAKE_DEFAULTS.paypalClientSecret,
          webhookId: env.PAYPAL_WEBHOOK_ID || FAKE_DEFAULTS.paypalWebhookId,
        },
    adyen: requireAllOrNone(env, ["ADYEN_API_KEY", "ADYEN_MERCHANT_ACCOUNT", "ADYEN_HMAC_KEY"])
      ? {
          mode: "real",
          apiKey: env.ADYEN_API_KEY!,
          merchantAccount: env.ADYEN_MERCHANT_ACCOUNT!,
          hmacKey: env.ADYEN_HMAC_KEY!,
          environment: oneOf(env, "ADYEN_ENVIRONMENT", ["test", "live"] as const, "test"),
          liveUrlPrefix: env.ADYEN_LIVE_URL_PREFIX,
        }
      : {
          mode: "fake",
          baseUrl: fakeAdyenUrl,
          apiKey: FAKE_DEFAULTS.adyenApiKey,
          merchantAccount: FAKE_DEFAULTS.adyenMerchantAccount,
          hmacKey: env.ADYEN_HMAC_KEY || FAKE_DEFAULTS.adyenHmacKey,
          caCertPath: path.resolve(env.PROVIDER_FAKE_ADYEN_CA || FAKE_DEFAULTS.certPath),
        },
  };
}

function requireAllOrNone(env: Env, names: string[]): boolean {
  const present = names.filter((name) => env[name]);
  if (present.length > 0 && present.length < names.length) {
    const missing = names.filter((name) => !env[name]);
    throw new Error(`Payment configuration: ${present.join(", ")} set but ${missing.join(", ")} missing`);
  }
  return present.length === names.length;
}

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`Payment configuration: ${name}="${raw}" is not a non-negative integer`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new Error(`Payment configuration: ${name}="${raw}" must be one of ${allowed.join(", ")}`);
  }
  return raw as T;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
