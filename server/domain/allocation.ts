import { AppError, ErrorCode } from "./errors";
import { applyTenderChanges, holdCancellation, releaseCancellation } from "./order-transitions";

/*
 * Where the money of a cancellation goes (SPEC §4): release uncaptured authorisations first,
 * then refund captured money, capped per tender. Amounts are minor units.
 */

export type { AllocationOperation, RefundMethod, TenderMethod, TenderProvider, TenderState } from "./states";
import type { AllocationOperation, RefundMethod, TenderMethod, TenderState } from "./states";

export interface AllocationEntry {
  tenderId: string;
  operation: AllocationOperation;
  amount: number;
}

export function reversibleAmount(t: TenderState): number {
  return Math.max(0, t.authorized - t.captured - t.reversed - t.reversalHeld);
}

export function refundableAmount(t: TenderState): number {
  return Math.max(0, t.captured - t.refunded - t.refundHeld);
}

const REFUND_PRIORITY: Record<TenderMethod, number> = { card: 0, paypal: 0, gift_card: 1, store_credit: 2 };

const OPERATION_FOR: Record<RefundMethod, AllocationOperation> = {
  original: "refund",
  store_credit: "store_credit",
  manual: "manual",
};

function assertAmount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `${what} must be a non-negative integer of minor units`, { value });
  }
}

/**
 * Splits `total` over the tenders. Reversals come first, in tender order, whatever the refund
 * method. The rest is taken from captured money: card and PayPal tenders first (tender order),
 * then gift cards, then store credit, each up to what it can still refund; the refund method
 * only decides the operation (`refund` to the original tender, new `store_credit`, or a
 * `manual` task). Either the whole total is covered or nothing is: INSUFFICIENT_REFUNDABLE.
 */
export function allocateRefund(total: number, tenders: readonly TenderState[], refundMethod: RefundMethod): AllocationEntry[] {
  assertAmount(total, "Refund total");
  const operation = OPERATION_FOR[refundMethod];
  if (!operation) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `Unknown refund method "${refundMethod}"`, { refundMethod });
  }
  const available = tenders.reduce((s, t) => s + reversibleAmount(t) + refundableAmount(t), 0);
  if (total > available) {
    throw new AppError(
      ErrorCode.INSUFFICIENT_REFUNDABLE,
      `The payments can return ${available} minor units; ${total} requested`,
      { requested: total, available },
    );
  }
  const entries: AllocationEntry[] = [];
  let remaining = total;
  const take = (tender: TenderState, op: AllocationOperation, cap: number) => {
    const amount = Math.min(remaining, cap);
    if (amount <= 0) return;
    entries.push({ tenderId: tender.tenderId, operation: op, amount });
    remaining -= amount;
  };
  for (const tender of tenders) take(tender, "reversal", reversibleAmount(tender));
  const refundOrder = tenders
    .map((tender, index) => ({ tender, index }))
    .sort((a, b) => REFUND_PRIORITY[a.tender.method] - REFUND_PRIORITY[b.tender.method] || a.index - b.index);
  for (const { tender } of refundOrder) take(tender, operation, refundableAmount(tender));
  return entries;
}

/** Accepting a cancellation: its allocation is held on the tenders (new states returned). */
export function applyAllocationHeld(tenders: readonly TenderState[], allocation: readonly AllocationEntry[]): TenderState[] {
  return applyTenderChanges(tenders, holdCancellation({ items: [], allocations: allocation, shipping: 0, shippingTax: 0 }).tenders);
}

/** Rejection or expiry: the held amounts are given back. */
export function releaseAllocationHeld(tenders: readonly TenderState[], allocation: readonly AllocationEntry[]): TenderState[] {
  return applyTenderChanges(tenders, releaseCancellation({ items: [], allocations: allocation, shipping: 0, shippingTax: 0 }).tenders);
}
