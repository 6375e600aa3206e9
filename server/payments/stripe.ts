import Stripe from "stripe";
import type { StripeConfig } from "@/server/config/payments";
import {
  OPERATION_KEY_METADATA,
  checkAmount,
  declined,
  uncaptured,
  type LookUpResult,
  type OperationTag,
  type PaymentProviderPort,
  type PaymentResult,
} from "./port";
import { asLookUp } from "./look-up";
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
 * Refund → `refunds.create({ payment_intent, amount, metadata })`.
 * Every call carries the idempotency key; the SDK's own retries are off (ours wrap it). Refunds and
 * partial reversals carry our key in `metadata.pc_operation_key` (a cancel takes no metadata: the
 * PaymentIntent's status is its record), so webhooks and look-ups find the operation by our name.
 * Look-up: the PaymentIntent's refunds (`refunds.list`), or the PaymentIntent itself.
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
    const conflict = error instanceof Stripe.errors.StripeIdempotencyError;
    const transient =
      error instanceof Stripe.errors.StripeConnectionError ||
      status === undefined ||
      status >= 500 ||
      status === 429 ||
      (status === 409 && !conflict) ||
      error.code === "lock_timeout";
    const code = conflict ? "idempotency_conflict" : error.decline_code || error.code || error.rawType || error.type;
    return new ProviderError(transient ? "transient" : "permanent", code, error.message, { cause: error, status, ambiguous: conflict });
  }
  return new ProviderError("transient", "network_error", error instanceof Error ? error.message : String(error), { cause: error });
}

function refundOutcome(refund: Stripe.Refund): PaymentResult {
  if (refund.status === "succeeded") return { status: "succeeded", providerReference: refund.id };
  if (refund.status === "pending" || refund.status === "requires_action") {
    return { status: "succeeded", providerReference: refund.id, awaitingConfirmation: true };
  }
  return declined(`refund_${refund.failure_reason ?? refund.status}`, `Stripe refund ${refund.id} is ${refund.status}`);
}

export function createStripePort(stripe: Stripe, caller: ProviderCaller): PaymentProviderPort {
  const metadata = (tag: OperationTag) => ({ [OPERATION_KEY_METADATA]: tag.idempotencyKey, cancellation_id: tag.cancellationId });
  return {
    reverse: (tender, amount, tag) =>
      asResult(async (): Promise<PaymentResult> => {
        const invalid = checkAmount(tender, amount, "reversal");
        if (invalid) return invalid;
        const id = tender.providerReference;
        const { idempotencyKey } = tag;
        if (amount === uncaptured(tender)) {
          const intent = await caller.call(() =>
            stripe.paymentIntents.cancel(id, { cancellation_reason: "requested_by_customer" }, { idempotencyKey }),
          );
          return { status: "succeeded", providerReference: intent.id };
        }
        const intent = await caller.call(() =>
          stripe.paymentIntents.update(
            id,
            { metadata: { reversed_amount: String(tender.reversed + amount), pc_last_reversal: idempotencyKey } },
            { idempotencyKey },
          ),
        );
        return { status: "succeeded", providerReference: intent.id };
      }),

    refund: (tender, amount, tag) =>
      asResult(async (): Promise<PaymentResult> => {
        const invalid = checkAmount(tender, amount, "refund");
        if (invalid) return invalid;
        const refund = await caller.call(() =>
          stripe.refunds.create(
            { payment_intent: tender.providerReference, amount, reason: "requested_by_customer", metadata: metadata(tag) },
            { idempotencyKey: tag.idempotencyKey },
          ),
        );
        return refundOutcome(refund);
      }),

    lookUp: (tender, operation, amount, tag) =>
      asLookUp(async (): Promise<LookUpResult> => {
        if (operation === "refund") {
          const refunds = await caller.call(() => stripe.refunds.list({ payment_intent: tender.providerReference, limit: 100 }));
          const refund = refunds.data.find((r) => r.metadata?.[OPERATION_KEY_METADATA] === tag.idempotencyKey);
          return refund ? refundOutcome(refund) : { status: "absent", detail: `no refund of ${tender.providerReference} carries ${tag.idempotencyKey}` };
        }
        const intent = await caller.call(() => stripe.paymentIntents.retrieve(tender.providerReference));
        if (amount === uncaptured(tender)) {
          return intent.status === "canceled"
            ? { status: "succeeded", providerReference: intent.id }
            : { status: "absent", detail: `PaymentIntent ${intent.id} is ${intent.status}` };
        }
        const reversed = Number(intent.metadata?.reversed_amount ?? 0);
        return reversed >= tender.reversed + amount
          ? { status: "succeeded", providerReference: intent.id }
          : { status: "absent", detail: `PaymentIntent ${intent.id} has reversed_amount ${reversed}` };
      }),
  };
}
