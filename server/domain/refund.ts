import { AppError, ErrorCode } from "./errors";
import { allocateLargestRemainder, roundHalfUpDiv, toSafeNumber } from "./money";
import { applyCancellation, applyOrderChange, type CancellationHolding, holdCancellation, releaseCancellation } from "./order-transitions";
import { cancellableQuantity } from "./quantities";

/*
 * The refund calculator of SPEC §3. All amounts are integer minor units; every product of two
 * amounts-or-quantities is computed in BigInt.
 */

export interface RefundLineState {
  lineId: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  tax: number;
  orderDiscountShare: number;
  shipped: number;
  released: number;
  cancelled: number;
  pendingCancel: number;
  /** Merchandise committed to earlier cancellations (held or done): refunded, or settled without refund. */
  netRefunded: number;
  /** Tax committed to earlier cancellations (held or done): refunded, or settled without refund. */
  taxRefunded: number;
}

export interface RefundOrderState {
  currency: string;
  lines: RefundLineState[];
  shippingAmount: number;
  shippingTax: number;
  shippingRefunded: number;
  shippingTaxRefunded: number;
}

export type ShippingPolicy = "full_cancellation" | "never";

/**
 * The overrides of SPEC §5 (permission override_cancellation_rules, with a note; the use-case
 * checks both). The domain only computes their effect.
 */
export interface RefundOverrides {
  /** Refund the order's unrefunded shipping (and its tax) although the policy would not. */
  refundShipping?: boolean;
  /**
   * Cancel the units with no refund (an exchange arranged with the customer). Their share of the
   * line's net and tax is computed as for a refund and counts as settled without refund
   * (`waived…`), like the shipping this cancellation would have taken: later cancellations of the
   * line refund from what is left, and its last units still take the exact remainder. So over any
   * sequence that cancels every unit, refunded + waived = what was paid.
   */
  noRefund?: boolean;
}

export interface RefundOverrideEffect {
  refundShipping: boolean;
  noRefund: boolean;
  /** Shipping and shipping tax refunded only because of `refundShipping`. */
  shippingAdded: number;
  /** Everything settled without refund under `noRefund`: merchandise, tax, shipping, shipping tax. */
  waived: number;
  shippingWaived: number;
  shippingTaxWaived: number;
}

export interface RefundSelection {
  lineId: string;
  quantity: number;
}

export interface RefundLineBreakdown {
  lineId: string;
  quantity: number;
  subtotal: number;
  discount: number;
  merchandise: number;
  tax: number;
  total: number;
  /** The units' share of the line's net and tax settled without refund (noRefund); else 0. */
  waivedMerchandise: number;
  waivedTax: number;
}

export interface RefundTotals {
  subtotal: number;
  discount: number;
  tax: number;
  shipping: number;
  shippingTax: number;
  total: number;
}

export interface RefundBreakdown {
  lines: RefundLineBreakdown[];
  totals: RefundTotals;
  /** The effect of the overrides; null when none was asked for. */
  override: RefundOverrideEffect | null;
}

function invalid(message: string, details?: unknown): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, message, details);
}

function corrupt(message: string, details: unknown): AppError {
  return new AppError(ErrorCode.INTERNAL, `Inconsistent refund state: ${message}`, details);
}

/** Order-level discount spread over lines in proportion to afterLine(L) (largest remainder). */
export function splitOrderDiscount(afterLine: number[], orderDiscountTotal: number): number[] {
  const base = afterLine.reduce((s, a) => s + BigInt(a), 0n);
  if (BigInt(orderDiscountTotal) > base) {
    throw invalid("Order discounts exceed the value of the lines", {
      orderDiscountTotal,
      linesTotal: base.toString(),
    });
  }
  return allocateLargestRemainder(orderDiscountTotal, afterLine);
}

/** net(L) = unitPrice × quantity − discount − orderDiscountShare, in BigInt. */
export function lineNet(line: RefundLineState): bigint {
  return BigInt(line.unitPrice) * BigInt(line.quantity) - BigInt(line.discount) - BigInt(line.orderDiscountShare);
}

/** Units of the line not yet cancelled; shipped and released units count, held units do not. */
function remainingUnits(line: RefundLineState): number {
  return line.quantity - line.cancelled - line.pendingCancel;
}

function assertLineState(line: RefundLineState): void {
  const fields = [
    "quantity", "unitPrice", "discount", "tax", "orderDiscountShare", "shipped", "released",
    "cancelled", "pendingCancel", "netRefunded", "taxRefunded",
  ] as const;
  for (const field of fields) {
    const value = line[field];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw corrupt(`${field} of line ${line.lineId} must be a non-negative integer`, { lineId: line.lineId, field, value });
    }
  }
  if (lineNet(line) < BigInt(line.netRefunded) || line.tax < line.taxRefunded) {
    throw corrupt(`line ${line.lineId} refunded more than it was worth`, { lineId: line.lineId });
  }
}

function validateSelection(order: RefundOrderState, selection: readonly RefundSelection[]): Map<string, number> {
  if (!Array.isArray(selection) || selection.length === 0) {
    throw invalid("Select at least one line and quantity to cancel");
  }
  const lines = new Map(order.lines.map((line) => [line.lineId, line]));
  const picked = new Map<string, number>();
  for (const { lineId, quantity } of selection) {
    const line = lines.get(lineId);
    if (!line) throw invalid(`Order has no line "${lineId}"`, { lineId });
    if (picked.has(lineId)) throw invalid(`Line "${lineId}" is selected more than once`, { lineId });
    if (!Number.isSafeInteger(quantity) || quantity <= 0) {
      throw invalid(`Quantity for line "${lineId}" must be a positive whole number`, { lineId, quantity });
    }
    const cancellable = cancellableQuantity(line);
    if (quantity > cancellable) {
      throw new AppError(
        ErrorCode.QUANTITY_EXCEEDS_CANCELLABLE,
        `Line "${lineId}": ${quantity} requested, only ${cancellable} cancellable`,
        { lineId, requested: quantity, cancellable },
      );
    }
    picked.set(lineId, quantity);
  }
  return picked;
}

function refundLine(line: RefundLineState, k: number, noRefund: boolean): RefundLineBreakdown {
  assertLineState(line);
  const r = remainingUnits(line);
  const Rn = lineNet(line) - BigInt(line.netRefunded);
  const Rt = BigInt(line.tax - line.taxRefunded);
  // The last units take the exact remainder, so a full sequence refunds exactly what was paid.
  const share = k === r ? Rn : roundHalfUpDiv(Rn * BigInt(k), BigInt(r));
  const taxShare = k === r ? Rt : roundHalfUpDiv(Rt * BigInt(k), BigInt(r));
  const merchandise = noRefund ? 0n : share;
  const tax = noRefund ? 0n : taxShare;
  const subtotal = BigInt(line.unitPrice) * BigInt(k);
  return {
    lineId: line.lineId,
    quantity: k,
    subtotal: toSafeNumber(subtotal, "Line subtotal"),
    discount: toSafeNumber(subtotal - merchandise, "Line discount"),
    merchandise: toSafeNumber(merchandise, "Line merchandise refund"),
    tax: toSafeNumber(tax, "Line tax refund"),
    total: toSafeNumber(merchandise + tax, "Line refund"),
    waivedMerchandise: toSafeNumber(share - merchandise, "Line merchandise settled without refund"),
    waivedTax: toSafeNumber(taxShare - tax, "Line tax settled without refund"),
  };
}

/**
 * Whether this selection leaves no unit of the order uncancelled. Shipped and released units are
 * not cancelled, so an order with any of them never qualifies.
 */
function completesOrder(order: RefundOrderState, picked: ReadonlyMap<string, number>): boolean {
  return order.lines.every((line) => line.cancelled + line.pendingCancel + (picked.get(line.lineId) ?? 0) === line.quantity);
}

/**
 * The refund for cancelling `selection` now (SPEC §3), with the overrides of §5 applied. Pure:
 * the inputs are never changed.
 */
export function computeRefund(
  order: RefundOrderState,
  selection: readonly RefundSelection[],
  policy: ShippingPolicy,
  overrides: RefundOverrides = {},
): RefundBreakdown {
  const refundShipping = overrides.refundShipping === true;
  const noRefund = overrides.noRefund === true;
  if (refundShipping && noRefund) {
    throw invalid("Choose one override: refund shipping, or cancel with no refund", { overrides });
  }
  const picked = validateSelection(order, selection);
  const lines = order.lines.filter((line) => picked.has(line.lineId)).map((line) => refundLine(line, picked.get(line.lineId) ?? 0, noRefund));
  const byPolicy = policy === "full_cancellation" && completesOrder(order, picked);
  const shippingDue = order.shippingAmount - order.shippingRefunded;
  const shippingTaxDue = order.shippingTax - order.shippingTaxRefunded;
  if (shippingDue < 0 || shippingTaxDue < 0) {
    throw corrupt("shipping refunded more than charged", { shipping: shippingDue, shippingTax: shippingTaxDue });
  }
  if (refundShipping && shippingDue + shippingTaxDue === 0) {
    throw new AppError(ErrorCode.OVERRIDE_NOT_APPLICABLE, "There is no shipping left to refund on this order (none was charged, or it was refunded already).", { override: "refundShipping" });
  }
  // Shipping this cancellation settles: by the policy, or because the override asks for it.
  const settlesShipping = byPolicy || refundShipping;
  const shipping = settlesShipping && !noRefund ? shippingDue : 0;
  const shippingTax = settlesShipping && !noRefund ? shippingTaxDue : 0;
  const shippingWaived = settlesShipping && noRefund ? shippingDue : 0;
  const shippingTaxWaived = settlesShipping && noRefund ? shippingTaxDue : 0;
  const sum = (pick: (l: RefundLineBreakdown) => number) => lines.reduce((s, l) => s + BigInt(pick(l)), 0n);
  const subtotal = sum((l) => l.subtotal);
  const discount = sum((l) => l.discount);
  const tax = sum((l) => l.tax);
  return {
    lines,
    totals: {
      subtotal: toSafeNumber(subtotal, "Refund subtotal"),
      discount: toSafeNumber(discount, "Refund discount"),
      tax: toSafeNumber(tax, "Refund tax"),
      shipping,
      shippingTax,
      total: toSafeNumber(subtotal - discount + tax + BigInt(shipping) + BigInt(shippingTax), "Refund total"),
    },
    override:
      refundShipping || noRefund
        ? {
            refundShipping,
            noRefund,
            shippingAdded: refundShipping && !byPolicy ? shippingDue + shippingTaxDue : 0,
            waived: toSafeNumber(
              lines.reduce((s, l) => s + BigInt(l.waivedMerchandise) + BigInt(l.waivedTax), 0n) + BigInt(shippingWaived) + BigInt(shippingTaxWaived),
              "Amount settled without refund",
            ),
            shippingWaived,
            shippingTaxWaived,
          }
        : null,
  };
}

/** What a cancellation commits on the order (held or done): refunded plus settled without refund. */
export function committedShipping(breakdown: Pick<RefundBreakdown, "totals" | "override">): { shipping: number; shippingTax: number } {
  return {
    shipping: breakdown.totals.shipping + (breakdown.override?.shippingWaived ?? 0),
    shippingTax: breakdown.totals.shippingTax + (breakdown.override?.shippingTaxWaived ?? 0),
  };
}

/** A breakdown as the holding it makes: units and amounts per line (waived shares too), and the shipping it commits. */
function holdingOf(breakdown: RefundBreakdown): CancellationHolding {
  const committed = committedShipping(breakdown);
  return { items: breakdown.lines, allocations: [], shipping: committed.shipping, shippingTax: committed.shippingTax };
}

/** Accepting a cancellation: its units become held (pendingCancel) and its money committed. */
export function applyRefundToState(order: RefundOrderState, breakdown: RefundBreakdown): RefundOrderState {
  return applyOrderChange(order, holdCancellation(holdingOf(breakdown)));
}

/** Rejection or expiry: the exact reverse of applyRefundToState. */
export function releaseRefundFromState(order: RefundOrderState, breakdown: RefundBreakdown): RefundOrderState {
  return applyOrderChange(order, releaseCancellation(holdingOf(breakdown)));
}

/** Completion: the held units become cancelled; the money stays committed. */
export function completeRefundInState(order: RefundOrderState, breakdown: RefundBreakdown): RefundOrderState {
  return applyOrderChange(order, applyCancellation(breakdown.lines));
}
