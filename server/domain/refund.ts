import { AppError, ErrorCode } from "./errors";
import { allocateLargestRemainder, roundHalfUpDiv, toSafeNumber } from "./money";
import { applyCancellation, applyOrderChange, type CancellationHolding, holdCancellation, releaseCancellation } from "./order-transitions";
import { cancellableQuantity } from "./quantities";

/*
 * The refund calculator of SPEC §3. All amounts are integer minor units; every product of two
 * amounts-or-quantities is computed in BigInt.
 */

export type { RefundLineState, RefundOrderState } from "./states";
import type { RefundLineState, RefundOrderState } from "./states";

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
  /**
   * Units beyond the cancellable ones, taken from `released` (SPEC §11): the warehouse must stop
   * them, so the line's refund is "up to" until it answers.
   */
  fromWarehouse: number;
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
    // SPEC §11: released units may be named too; the warehouse is asked to stop them.
    if (quantity > cancellable + line.released) {
      throw new AppError(
        ErrorCode.QUANTITY_EXCEEDS_CANCELLABLE,
        line.released > 0
          ? `Line "${lineId}": ${quantity} requested, only ${cancellable} cancellable and ${line.released} released to the warehouse`
          : `Line "${lineId}": ${quantity} requested, only ${cancellable} cancellable`,
        line.released > 0 ? { lineId, requested: quantity, cancellable, released: line.released } : { lineId, requested: quantity, cancellable },
      );
    }
    picked.set(lineId, quantity);
  }
  return picked;
}

/**
 * SPEC §3's proration of one line, with its intermediate values: `r` units not yet cancelled,
 * `Rn`/`Rt` the net and tax not yet committed, and the shares for `k` of them. The refund
 * (refundUnits) and its explanation (explain-refund.ts) both read these, so the explanation shows
 * the numbers the refund was computed from, never a second computation.
 */
export interface LineProration {
  k: number;
  r: number;
  remainingNet: bigint;
  remainingTax: bigint;
  /** k = r: the last units take the exact remainder instead of a rounded share. */
  lastUnits: boolean;
  netShare: bigint;
  taxShare: bigint;
}

export function prorateLine(line: RefundLineState, k: number): LineProration {
  assertLineState(line);
  const r = remainingUnits(line);
  const Rn = lineNet(line) - BigInt(line.netRefunded);
  const Rt = BigInt(line.tax - line.taxRefunded);
  // The last units take the exact remainder, so a full sequence refunds exactly what was paid.
  const lastUnits = k === r;
  const netShare = lastUnits ? Rn : roundHalfUpDiv(Rn * BigInt(k), BigInt(r));
  const taxShare = lastUnits ? Rt : roundHalfUpDiv(Rt * BigInt(k), BigInt(r));
  return { k, r, remainingNet: Rn, remainingTax: Rt, lastUnits, netShare, taxShare };
}

/**
 * The refund for `k` units of the line in state `line` (SPEC §3). Also the refund for the units the
 * warehouse stopped, computed from the line as it stood when the cancellation took its hold
 * (server/domain/warehouse-answer.ts). `k` = 0 refunds nothing.
 */
export function refundUnits(line: RefundLineState, k: number, noRefund: boolean): Omit<RefundLineBreakdown, "fromWarehouse"> {
  if (k === 0) return { lineId: line.lineId, quantity: 0, subtotal: 0, discount: 0, merchandise: 0, tax: 0, total: 0, waivedMerchandise: 0, waivedTax: 0 };
  const { netShare: share, taxShare } = prorateLine(line, k);
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
 * Whether this selection leaves no unit of the order uncancelled. Shipped units are never
 * cancelled, so an order with any never qualifies; released units qualify only when selected
 * (asked of the warehouse: the shipping is dropped if it cannot stop them all); nor does an order
 * where another cancellation still holds units (SPEC §3): the saga that completes the order adds
 * the shipping then (shippingDueOnFullCancellation).
 */
function completesOrder(order: RefundOrderState, picked: ReadonlyMap<string, number>): boolean {
  return order.lines.every((line) => line.pendingCancel === 0 && line.cancelled + (picked.get(line.lineId) ?? 0) === line.quantity);
}

/** Why a cancellation settles the shipping or not: the facts computeRefund decides on (explain-refund.ts reads them too). */
export interface ShippingDecision {
  /** The policy refunds shipping with this cancellation (it leaves no unit of the order uncancelled). */
  byPolicy: boolean;
  policy: ShippingPolicy;
  shippingDue: number;
  shippingTaxDue: number;
  /** Units the selection leaves not cancelled (shipped, released, or simply not picked). */
  unitsLeft: number;
  shippedUnits: number;
  /** Units held by other cancellations that have not finished. */
  heldElsewhere: number;
}

export function decideShipping(
  order: RefundOrderState,
  picked: ReadonlyMap<string, number>,
  policy: ShippingPolicy,
  refundShipping: boolean,
): ShippingDecision {
  const byPolicy = policy === "full_cancellation" && completesOrder(order, picked);
  const shippingDue = order.shippingAmount - order.shippingRefunded;
  const shippingTaxDue = order.shippingTax - order.shippingTaxRefunded;
  if (shippingDue < 0 || shippingTaxDue < 0) {
    throw corrupt("shipping refunded more than charged", { shipping: shippingDue, shippingTax: shippingTaxDue });
  }
  if (refundShipping && shippingDue + shippingTaxDue === 0) {
    throw new AppError(ErrorCode.OVERRIDE_NOT_APPLICABLE, "There is no shipping left to refund on this order (none was charged, or it was refunded already).", { override: "refundShipping" });
  }
  const sumOf = (pick: (line: RefundLineState) => number) => order.lines.reduce((s, line) => s + pick(line), 0);
  return {
    byPolicy,
    policy,
    shippingDue,
    shippingTaxDue,
    unitsLeft: sumOf((line) => line.quantity - line.cancelled - line.pendingCancel - (picked.get(line.lineId) ?? 0)),
    shippedUnits: sumOf((line) => line.shipped),
    heldElsewhere: sumOf((line) => line.pendingCancel),
  };
}

/** The selection as lineId → quantity, validated as computeRefund validates it. */
export function pickedUnits(order: RefundOrderState, selection: readonly RefundSelection[]): Map<string, number> {
  return validateSelection(order, selection);
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
  const lines = order.lines
    .filter((line) => picked.has(line.lineId))
    .map((line) => {
      const k = picked.get(line.lineId) ?? 0;
      return { ...refundUnits(line, k, noRefund), fromWarehouse: Math.max(0, k - cancellableQuantity(line)) };
    });
  const { byPolicy, shippingDue, shippingTaxDue } = decideShipping(order, picked, policy, refundShipping);
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

/** The shipping (charge and its tax) a saga adds once it has made the order fully cancelled. */
export interface ShippingAddition {
  shipping: number;
  shippingTax: number;
  total: number;
}

/**
 * SPEC §3: a cancellation that left no unit uncancelled while another still held units took no
 * shipping. Once every unit of the order is cancelled (none held, shipped or released) and the
 * policy refunds shipping, what is left of it is due, and the saga completing the order adds it as
 * its own allocation. Null when nothing is due: not fully cancelled, policy `never`, or the
 * shipping already committed (refunded, held, or settled without refund).
 */
export function shippingDueOnFullCancellation(order: RefundOrderState, policy: ShippingPolicy): ShippingAddition | null {
  if (policy !== "full_cancellation") return null;
  if (!order.lines.every((line) => line.cancelled === line.quantity)) return null;
  const shipping = order.shippingAmount - order.shippingRefunded;
  const shippingTax = order.shippingTax - order.shippingTaxRefunded;
  if (shipping < 0 || shippingTax < 0) {
    throw corrupt("shipping refunded more than charged", { shipping, shippingTax });
  }
  if (shipping + shippingTax === 0) return null;
  return { shipping, shippingTax, total: shipping + shippingTax };
}

/** The added shipping as the holding it makes: no units, its allocation on the tenders, the shipping committed. */
export function shippingAdditionHolding(addition: ShippingAddition, allocations: CancellationHolding["allocations"]): CancellationHolding {
  return { items: [], allocations, shipping: addition.shipping, shippingTax: addition.shippingTax };
}
