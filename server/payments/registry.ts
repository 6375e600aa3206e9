import { classifyAdyenError, createAdyenModifications, createAdyenPort } from "./adyen";
import type { Db } from "@/server/db/client";
import { sharedBreaker } from "./circuit-breaker";
import type { PaymentConfig, UncertaintyPolicy } from "@/server/config/payments";
import { classifyPaypalError, createPaypalClient, createPaypalPort } from "./paypal";
import type { ExternalProviderName, PaymentProviderPort } from "./port";
import { measuredPort } from "./measured-port";
import { createProviderCaller } from "./resilience";
import { classifyStripeError, createStripeClient, createStripePort } from "./stripe";

export { loadPaymentConfig, type PaymentConfig, type UncertaintyPolicy } from "@/server/config/payments";
export { ALL_CIRCUITS, readCircuits, unavailableProviders, type CircuitName, type CircuitStateName, type CircuitView } from "./circuit-breaker";

export interface PaymentProviders {
  stripe: PaymentProviderPort;
  paypal: PaymentProviderPort;
  adyen: PaymentProviderPort;
  /** How long an `unknown` operation is retried, and how often, before reconciliation decides. */
  uncertainty: UncertaintyPolicy;
}

/**
 * Builds one port per provider, each with its own timeout and retry policy, and a circuit breaker
 * whose state is shared through `db` by every process.
 * Gift cards and store credit are not a port: the saga writes the internal ledger in its step's own
 * transaction (server/ledger/internal-ledger.ts).
 */
export function createPaymentProviders(config: PaymentConfig, { db }: { db: Db }): PaymentProviders {
  const { resilience } = config;
  const breaker = (provider: ExternalProviderName) =>
    sharedBreaker(db, provider, {
      threshold: resilience.breakerThreshold,
      halfOpenAfterMs: resilience.halfOpenAfterMs,
      probeTimeoutMs: resilience.halfOpenAfterMs + resilience.timeoutMs * resilience.attempts,
    });
  // The SDKs' own timeouts are only a backstop: the caller's per-attempt timeout fires first, so a
  // hang always ends as one classified `timeout` and the request is aborted where the SDK allows.
  const sdkTimeoutMs = resilience.timeoutMs + 1_000;
  return {
    stripe: measuredPort(
      "stripe",
      createStripePort(createStripeClient(config.stripe, sdkTimeoutMs), createProviderCaller("stripe", resilience, classifyStripeError, breaker("stripe"))),
    ),
    paypal: measuredPort(
      "paypal",
      createPaypalPort(createPaypalClient(config.paypal, sdkTimeoutMs), createProviderCaller("paypal", resilience, classifyPaypalError, breaker("paypal"))),
    ),
    adyen: measuredPort(
      "adyen",
      createAdyenPort(
        createAdyenModifications(config.adyen, sdkTimeoutMs),
        config.adyen.merchantAccount,
        createProviderCaller("adyen", resilience, classifyAdyenError, breaker("adyen")),
      ),
    ),
    uncertainty: config.uncertainty,
  };
}

/** The port that handles a tender's (external) provider. */
export function portFor(providers: PaymentProviders, provider: ExternalProviderName): PaymentProviderPort {
  return providers[provider];
}
