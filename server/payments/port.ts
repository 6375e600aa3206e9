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
 * `succeeded`: the provider has done it. `pending`: accepted, a signed webhook settles it later
 * (Adyen always; Stripe/PayPal refunds sometimes). `providerReference` names the provider's record
 * of this operation (refund id, PSP reference of the modification, PayPal authorization id); for a
 * PayPal partial reversal it is the NEW authorization id, which replaces the tender's reference.
 * `failed`: `transient` failures (timeouts, 5xx, open circuit) may succeed on a later retry with
 * the same idempotency key; `permanent` ones (declines, 4xx) will not.
 */
export type PaymentResult =
  | { status: "succeeded"; providerReference: string }
  | { status: "pending"; providerReference: string }
  | { status: "failed"; kind: "transient" | "permanent"; code: string; message: string };

/**
 * Both operations expect `tender` as it was BEFORE this operation (its running `reversed` and
 * `refunded` totals not yet including `amount`): adapters derive provider parameters from it, and
 * a retry after a crash must send exactly the same parameters under the same idempotency key.
 * Neither method throws for provider failures; they are returned as `failed`.
 */
export interface PaymentProviderPort {
  /** Releases `amount` of the uncaptured authorization (`authorized − captured − reversed`). */
  reverse(tender: PaymentTender, amount: number, idempotencyKey: string): Promise<PaymentResult>;
  /** Returns `amount` of captured money (`captured − refunded`) to the original payment method. */
  refund(tender: PaymentTender, amount: number, idempotencyKey: string): Promise<PaymentResult>;
}

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
    return failed("permanent", "invalid_amount", `${operation} amount ${amount} is not a positive integer`);
  }
  if (amount > available) {
    return failed(
      "permanent",
      "amount_exceeds_available",
      `${operation} of ${amount} exceeds the ${available} ${tender.currency} available on tender ${tender.tenderId}`,
    );
  }
  return null;
}

export function failed(kind: "transient" | "permanent", code: string, message: string): PaymentResult {
  return { status: "failed", kind, code, message };
}
