import { classifyAdyenError, createAdyenModifications, createAdyenPort } from "./adyen";
import type { PaymentConfig, UncertaintyPolicy } from "./config";
import { classifyPaypalError, createPaypalClient, createPaypalPort } from "./paypal";
import type { ExternalProviderName, PaymentProviderPort } from "./port";
import { createProviderCaller } from "./resilience";
import { classifyStripeError, createStripeClient, createStripePort } from "./stripe";

export { loadPaymentConfig, type PaymentConfig, type UncertaintyPolicy } from "./config";
export { getCircuitStates, type CircuitStateName } from "./resilience";

export interface PaymentProviders {
  stripe: PaymentProviderPort;
  paypal: PaymentProviderPort;
  adyen: PaymentProviderPort;
  /** How long an `unknown` operation is retried, and how often, before reconciliation decides. */
  uncertainty: UncertaintyPolicy;
}

/**
 * Builds one port per provider, each with its own timeout, retry policy and circuit breaker.
 * Gift cards and store credit are not a port: the saga writes the internal ledger in its step's own
 * transaction (server/ledger/internal-ledger.ts).
 */
export function createPaymentProviders(
  config: PaymentConfig,
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
    uncertainty: config.uncertainty,
  };
}

/** The port that handles a tender's (external) provider. */
export function portFor(providers: PaymentProviders, provider: ExternalProviderName): PaymentProviderPort {
  return providers[provider];
}
