import Stripe from "stripe";
import type { StripeConfig } from "./config";
import { checkAmount, failed, uncaptured, type PaymentProviderPort } from "./port";
import { ProviderError, asResult, type ProviderCaller } from "./resilience";

/*
 * Stripe: the tender's reference is a PaymentIntent captured manually (status requires_capture
 * until the units ship).
 *
 * Reversal. Stripe has no call that lowers an authorization: `paymentIntents.update({ amount })`
 * is refused while the PaymentIntent is requires_capture, incrementAuthorization only raises it,
 * and capturing now to refund later would charge the customer for goods not yet shipped. What
 * Stripe offers is to capture less: a capture of less than the authorization releases the rest.
 * So (SPEC §4 "partial capture of less / PaymentIntent cancel"):
 * - reversal of everything still uncaptured → `paymentIntents.cancel` (the hold is released now);
 * - partial reversal → recorded on the PaymentIntent as `metadata.reversed_amount`, the cumulative
 *   amount that will never be captured. The hold for it is released when the shipment capture
 *   takes less (that capture must take at most authorized − reversed; the fake enforces it).
 *   The value is computed from the tender as it was before this reversal, so a retry under the
 *   same idempotency key sends identical parameters.
 * Refund → `refunds.create({ payment_intent, amount })`.
 * Every call carries the idempotency key; the SDK's own retries are off (ours wrap it).
 */

export function createStripeClient(config: StripeConfig, timeoutMs: number): Stripe {
  const common = { maxNetworkRetries: 0, timeout: timeoutMs, telemetry: false } as const;
  if (config.mode === "real") return new Stripe(config.secretKey, common);
  const url = new URL(config.baseUrl);
  const protocol = url.protocol === "https:" ? "https" : "http";
  return new Stripe(config.secretKey, {
    ...common,
    host: url.hostname,
    port: url.port || (protocol === "https" ? 443 : 80),
    protocol,
  });
}

export function classifyStripeError(error: unknown): ProviderError {
  if (error instanceof Stripe.errors.StripeError) {
    const status = error.statusCode;
    const transient =
      error instanceof Stripe.errors.StripeConnectionError ||
      status === undefined ||
      status >= 500 ||
      status === 429 ||
      (status === 409 && error.type !== "StripeIdempotencyError") ||
      error.code === "lock_timeout";
    const code = error.decline_code || error.code || error.rawType || error.type;
    return new ProviderError(transient ? "transient" : "permanent", code, error.message, { cause: error, status });
  }
  return new ProviderError("transient", "network_error", error instanceof Error ? error.message : String(error), { cause: error });
}

export function createStripePort(stripe: Stripe, caller: ProviderCaller): PaymentProviderPort {
  return {
    reverse: (tender, amount, idempotencyKey) =>
      asResult(async () => {
        const invalid = checkAmount(tender, amount, "reversal");
        if (invalid) return invalid;
        const id = tender.providerReference;
        if (amount === uncaptured(tender)) {
          const intent = await caller.call(() =>
            stripe.paymentIntents.cancel(id, { cancellation_reason: "requested_by_customer" }, { idempotencyKey }),
          );
          return { status: "succeeded", providerReference: intent.id };
        }
        const intent = await caller.call(() =>
          stripe.paymentIntents.update(
            id,
            { metadata: { reversed_amount: String(tender.reversed + amount) } },
            { idempotencyKey },
          ),
        );
        return { status: "succeeded", providerReference: intent.id };
      }),

    refund: (tender, amount, idempotencyKey) =>
      asResult(async () => {
        const invalid = checkAmount(tender, amount, "refund");
        if (invalid) return invalid;
        const refund = await caller.call(() =>
          stripe.refunds.create(
            { payment_intent: tender.providerReference, amount, reason: "requested_by_customer" },
            { idempotencyKey },
          ),
        );
        if (refund.status === "succeeded") return { status: "succeeded", providerReference: refund.id };
        if (refund.status === "pending" || refund.status === "requires_action") {
          return { status: "pending", providerReference: refund.id };
        }
        return failed("permanent", `refund_${refund.failure_reason ?? refund.status}`, `Stripe refund ${refund.id} is ${refund.status}`);
      }),
  };
}
