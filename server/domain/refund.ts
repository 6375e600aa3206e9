import { AppError, ErrorCode } from "./errors";
import { allocateLargestRemainder, roundHalfUpDiv, toSafeNumber } from "./money";
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
  /** Merchandise already committed to earlier cancellations (held or done). */
  netRefunded: number;
  /** Tax already committed to earlier cancellations (held or done). */
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

function refundLine(line: RefundLineState, k: number): RefundLineBreakdown {
  assertLineState(line);
  const r = remainingUnits(line);
  const Rn = lineNet(line) - BigInt(line.netRefunded);
  const Rt = BigInt(line.tax - line.taxRefunded);
  // The last units take the exact remainder, so a full sequence refunds exactly what was paid.
  const merchandise = k === r ? Rn : roundHalfUpDiv(Rn * BigInt(k), BigInt(r));
  const tax = k === r ? Rt : roundHalfUpDiv(Rt * BigInt(k), BigInt(r));
  const subtotal = BigInt(line.unitPrice) * BigInt(k);
  return {
    lineId: line.lineId,
    quantity: k,
    subtotal: toSafeNumber(subtotal, "Line subtotal"),
    discount: toSafeNumber(subtotal - merchandise, "Line discount"),
    merchandise: toSafeNumber(merchandise, "Line merchandise refund"),
    tax: toSafeNumber(tax, "Line tax refund"),
    total: toSafeNumber(merchandise + tax, "Line refund"),
  };
}

/**
 * Whether this selection leaves no unit of the order uncancelled. Shipped and released units are
 * not cancelled, so an order with any of them never qualifies.
 */
function completesOrder(order: RefundOrderState, picked: ReadonlyMap<string, number>): boolean {
  return order.lines.every((line) => line.cancelled + line.pendingCancel + (picked.get(line.lineId) ?? 0) === line.quantity);
}

/** The refund for cancelling `selection` now (SPEC §3). Pure: the inputs are never changed. */
export function computeRefund(
  order: RefundOrderState,
  selection: readonly RefundSelection[],
  policy: ShippingPolicy,
): RefundBreakdown {
  const picked = validateSelection(order, selection);
  const lines = order.lines.filter((line) => picked.has(line.lineId)).map((line) => refundLine(line, picked.get(line.lineId) ?? 0));
  const takesShipping = policy === "full_cancellation" && completesOrder(order, picked);
  const shipping = takesShipping ? order.shippingAmount - order.shippingRefunded : 0;
  const shippingTax = takesShipping ? order.shippingTax - order.shippingTaxRefunded : 0;
  if (shipping < 0 || shippingTax < 0) {
    throw corrupt("shipping refunded more than charged", { shipping, shippingTax });
  }
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
  };
}

function shift(order: RefundOrderState, breakdown: RefundBreakdown, sign: 1 | -1): RefundOrderState {
  const byLine = new Map(breakdown.lines.map((l) => [l.lineId, l]));
  for (const lineId of byLine.keys()) {
    if (!order.lines.some((line) => line.lineId === lineId)) {
      throw invalid(`Order has no line "${lineId}"`, { lineId });
    }
  }
  const next: RefundOrderState = {
    ...order,
    lines: order.lines.map((line) => {
      const part = byLine.get(line.lineId);
      if (!part) return { ...line };
      return {
        ...line,
        pendingCancel: line.pendingCancel + sign * part.quantity,
        netRefunded: line.netRefunded + sign * part.merchandise,
        taxRefunded: line.taxRefunded + sign * part.tax,
      };
    }),
    shippingRefunded: order.shippingRefunded + sign * breakdown.totals.shipping,
    shippingTaxRefunded: order.shippingTaxRefunded + sign * breakdown.totals.shippingTax,
  };
  const negative =
    next.shippingRefunded < 0 ||
    next.shippingTaxRefunded < 0 ||
    next.lines.some((l) => l.pendingCancel < 0 || l.netRefunded < 0 || l.taxRefunded < 0);
  if (negative) {
    throw new AppError(ErrorCode.INVALID_STATE, "The cancellation being released is not held on this order");
  }
  return next;
}

/** Accepting a cancellation: its units become held (pendingCancel) and its money committed. */
export function applyRefundToState(order: RefundOrderState, breakdown: RefundBreakdown): RefundOrderState {
  return shift(order, breakdown, 1);
}

/** Rejection or expiry: the exact reverse of applyRefundToState. */
export function releaseRefundFromState(order: RefundOrderState, breakdown: RefundBreakdown): RefundOrderState {
  return shift(order, breakdown, -1);
}

/** Completion: the held units become cancelled; the money stays committed. */
export function completeRefundInState(order: RefundOrderState, breakdown: RefundBreakdown): RefundOrderState {
  const byLine = new Map(breakdown.lines.map((l) => [l.lineId, l.quantity]));
  const lines = order.lines.map((line) => {
    const k = byLine.get(line.lineId) ?? 0;
    if (k > line.pendingCancel) {
      throw new AppError(ErrorCode.INVALID_STATE, `Line "${line.lineId}" holds fewer units than the cancellation`);
    }
    return { ...line, pendingCancel: line.pendingCancel - k, cancelled: line.cancelled + k };
  });
  return { ...order, lines };
}
