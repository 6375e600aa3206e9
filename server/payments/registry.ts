import { classifyAdyenError, createAdyenModifications, createAdyenPort } from "./adyen";
import type { PaymentConfig } from "./config";
import { classifyPaypalError, createPaypalClient, createPaypalPort } from "./paypal";
import type { PaymentProviderName, PaymentProviderPort } from "./port";
import { createProviderCaller } from "./resilience";
import { classifyStripeError, createStripeClient, createStripePort } from "./stripe";

export { loadPaymentConfig, type PaymentConfig } from "./config";
export { getCircuitStates, type CircuitStateName } from "./resilience";

export interface PaymentProviders {
  stripe: PaymentProviderPort;
  paypal: PaymentProviderPort;
  adyen: PaymentProviderPort;
  /** The gift-card / store-credit ledger (PostgreSQL); supplied by whoever builds it. */
  internal?: PaymentProviderPort;
}

/**
 * Builds one port per provider, each with its own timeout, retry policy and circuit breaker.
 * Ports that are not network adapters (the internal ledger) are passed in `extra` and kept as is.
 */
export function createPaymentProviders(
  config: PaymentConfig,
  extra: { internal?: PaymentProviderPort } = {},
): PaymentProviders {
  const { resilience } = config;
  // The SDKs' own timeouts are only a backstop: the caller's per-attempt timeout fires first, so a
  // hang always ends as one classified `timeout` and the request is aborted where the SDK allows.
  const sdkTimeoutMs = resilience.timeoutMs + 1_000;
  return {
    stripe: createStripePort(
      createStripeClient(config.stripe, sdkTimeoutMs),
      createProviderCaller("stripe", resilience, classifyStripeError),
    ),
    paypal: createPaypalPort(
      createPaypalClient(config.paypal, sdkTimeoutMs),
      createProviderCaller("paypal", resilience, classifyPaypalError),
    ),
    adyen: createAdyenPort(
      createAdyenModifications(config.adyen, sdkTimeoutMs),
      config.adyen.merchantAccount,
      createProviderCaller("adyen", resilience, classifyAdyenError),
    ),
    ...extra,
  };
}

/** The port that handles a tender's provider; throws for `internal` when no ledger was supplied. */
export function portFor(providers: PaymentProviders, provider: PaymentProviderName): PaymentProviderPort {
  const port = providers[provider];
  if (!port) throw new Error(`No payment port configured for provider "${provider}"`);
  return port;
}
