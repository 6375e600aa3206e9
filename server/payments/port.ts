/**
 * The payment port: what the cancellation saga asks of a payment provider. Amounts are integers in
 * minor units of the tender's currency (ISO 4217 exponent), never floats.
 */

export type TenderMethod = "card" | "paypal" | "gift_card" | "store_credit";
export type PaymentProviderName = "stripe" | "adyen" | "paypal" | "internal";
/** Providers reached over the network; `internal` (gift cards, store credit) is the ledger. */
export type ExternalProviderName = Exclude<PaymentProviderName, "internal">;
export const EXTERNAL_PROVIDERS: readonly ExternalProviderName[] = ["stripe", "paypal", "adyen"];

export interface PaymentTender {
  tenderId: string;
  method: TenderMethod;
  provider: PaymentProviderName;
  providerReference: string;
  currency: string;
  authorized: number;
  captured: number;
  reversed: number;
  refunded: number;
}

/**
 * Every provider call ends in one of three outcomes (SPEC §6 "Provider outcomes"):
 * - `succeeded`: the provider did it. With `awaitingConfirmation` it accepted the operation and a
 *   signed webhook settles it later (Adyen always; Stripe/PayPal refunds sometimes); that webhook
 *   can still report a refusal. `providerReference` names the provider's record of this operation
 *   (refund id, PSP reference of the modification, PayPal authorization id); for a PayPal partial
 *   reversal it is the NEW authorization id, which replaces the tender's reference.
 * - `declined`: a definitive no (a card decline, a 4xx refusal): nothing was done.
 * - `unknown`: a timeout, a 5xx, a connection error, an open breaker, a key already used: the
 *   provider may or may not have done it. Retried with the same idempotency key and reconciled by
 *   asking the provider (`lookUp`); never handed to a person as if nothing had happened.
 */
export type PaymentResult =
  | { status: "succeeded"; providerReference: string; awaitingConfirmation?: true }
  | { status: "declined"; code: string; message: string }
  | { status: "unknown"; code: string; message: string };

/** What a provider answers when asked about an operation: its result, or `absent` (it never did it). */
export type LookUpResult = PaymentResult | { status: "absent"; detail: string };

/** Our names for an operation, sent with it so that confirmations and look-ups can find it. */
export interface OperationTag {
  idempotencyKey: string;
  cancellationId: string;
}

/**
 * Every method expects `tender` as it was BEFORE this operation (its running `reversed` and
 * `refunded` totals not yet including `amount`): adapters derive provider parameters from it, and
 * a retry after a crash must send exactly the same parameters under the same idempotency key.
 * No method throws for provider failures; they are returned as `declined` or `unknown`.
 */
export interface PaymentProviderPort {
  /** Releases `amount` of the uncaptured authorization (`authorized − captured − reversed`). */
  reverse(tender: PaymentTender, amount: number, tag: OperationTag): Promise<PaymentResult>;
  /** Returns `amount` of captured money (`captured − refunded`) to the original payment method. */
  refund(tender: PaymentTender, amount: number, tag: OperationTag): Promise<PaymentResult>;
  /**
   * Reconciliation: asks the provider what became of the operation sent with `tag` (the same
   * `tender` and `amount` as that call). `unknown` when the provider cannot be asked or cannot tell.
   */
  lookUp(tender: PaymentTender, operation: "reversal" | "refund", amount: number, tag: OperationTag): Promise<LookUpResult>;
}

/** Metadata key (Stripe) under which our idempotency key travels with an operation. */
export const OPERATION_KEY_METADATA = "pc_operation_key";

export function uncaptured(tender: PaymentTender): number {
  return tender.authorized - tender.captured - tender.reversed;
}

export function refundable(tender: PaymentTender): number {
  return tender.captured - tender.refunded;
}

/**
 * A cheap guard against a caller bug, before any provider is called. The provider remains the
 * authority (the fake refuses going beyond, as the real APIs do).
 */
export function checkAmount(
  tender: PaymentTender,
  amount: number,
  operation: "reversal" | "refund",
): PaymentResult | null {
  const available = operation === "reversal" ? uncaptured(tender) : refundable(tender);
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    return declined("invalid_amount", `${operation} amount ${amount} is not a positive integer`);
  }
  if (amount > available) {
    return declined(
      "amount_exceeds_available",
      `${operation} of ${amount} exceeds the ${available} ${tender.currency} available on tender ${tender.tenderId}`,
    );
  }
  return null;
}

export function declined(code: string, message: string): PaymentResult {
  return { status: "declined", code, message };
}

export function unknownOutcome(code: string, message: string): PaymentResult {
  return { status: "unknown", code, message };
}
