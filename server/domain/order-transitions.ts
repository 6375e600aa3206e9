import type { AllocationOperation, RefundLineState, RefundOrderState, TenderState } from "./states";
import { AppError, ErrorCode } from "./errors";

/*
 * Every change a cancellation makes to an order's counts and money, as deltas: the one place the
 * arithmetic of holding, releasing, applying and settling lives. The repository
 * (server/orders/apply-order-change.ts) writes a change as it is; applyOrderChange is the same
 * change on an in-memory state, which is what the property test compares the database with.
 */

/** What a cancellation holds on one line: its refund, and the share a no-refund override settles without one. */
export interface HeldItem {
  lineId: string;
  quantity: number;
  merchandise: number;
  tax: number;
  waivedMerchandise?: number;
  waivedTax?: number;
  /** Units taken from `released` (SPEC §11): held, they are no longer counted as released. */
  fromWarehouse?: number;
}

/** One part of a cancellation's money on one tender. Settled parts have moved and hold nothing. */
export interface HeldAllocation {
  tenderId: string | null;
  operation: AllocationOperation;
  amount: number;
  status?: "pending" | "succeeded" | "failed" | "manual_required";
}

export interface CancellationHolding {
  items: readonly HeldItem[];
  allocations: readonly HeldAllocation[];
  /** The shipping and its tax the cancellation commits: refunded, or settled without refund. */
  shipping: number;
  shippingTax: number;
}

export interface LineChange {
  lineId: string;
  pendingCancel: number;
  /** Units moved to or from `released` (held from the warehouse, or left with it after its answer). */
  released: number;
  cancelled: number;
  netRefunded: number;
  taxRefunded: number;
}

export interface TenderChange {
  tenderId: string;
  reversed: number;
  refunded: number;
  reversalHeld: number;
  refundHeld: number;
}

export interface ShippingChange {
  shippingRefunded: number;
  shippingTaxRefunded: number;
}

export interface OrderChange {
  lines: LineChange[];
  tenders: TenderChange[];
  shipping: ShippingChange;
}

export interface OrderState extends RefundOrderState {
  tenders: TenderState[];
}

const NO_SHIPPING: ShippingChange = { shippingRefunded: 0, shippingTaxRefunded: 0 };

function tenderChange(tenderId: string, over: Partial<TenderChange>): TenderChange {
  return { tenderId, reversed: 0, refunded: 0, reversalHeld: 0, refundHeld: 0, ...over };
}

/** Reversals are held as reversal_held; refunds, new store credit and manual refunds as refund_held. */
function heldField(operation: AllocationOperation): "reversalHeld" | "refundHeld" {
  return operation === "reversal" ? "reversalHeld" : "refundHeld";
}

function holdingChange(c: CancellationHolding, sign: 1 | -1): OrderChange {
  const stillHeld = c.allocations.filter((a) => a.tenderId !== null && (a.status ?? "pending") === "pending");
  return {
    lines: c.items.map((i) => ({
      lineId: i.lineId,
      pendingCancel: sign * i.quantity,
      released: -sign * (i.fromWarehouse ?? 0),
      cancelled: 0,
      netRefunded: sign * (i.merchandise + (i.waivedMerchandise ?? 0)),
      taxRefunded: sign * (i.tax + (i.waivedTax ?? 0)),
    })),
    tenders: stillHeld.map((a) => tenderChange(a.tenderId!, { [heldField(a.operation)]: sign * a.amount })),
    shipping: { shippingRefunded: sign * c.shipping, shippingTaxRefunded: sign * c.shippingTax },
  };
}

/** Accepting a cancellation (SPEC §6.1): its units are held, its money committed to lines, tenders and shipping. */
export function holdCancellation(c: CancellationHolding): OrderChange {
  return holdingChange(c, 1);
}

/**
 * Rejection, expiry, withdrawal, or the compensation of a failed order update: exactly what
 * holdCancellation took, given back. Parts already settled have left the tender and stay.
 */
export function releaseCancellation(c: CancellationHolding): OrderChange {
  return holdingChange(c, -1);
}

/** The saga's order adjustment: the held units become cancelled; the money stays committed. */
export function applyCancellation(items: readonly Pick<HeldItem, "lineId" | "quantity">[]): OrderChange {
  return {
    lines: items.map((i) => ({ lineId: i.lineId, pendingCancel: -i.quantity, released: 0, cancelled: i.quantity, netRefunded: 0, taxRefunded: 0 })),
    tenders: [],
    shipping: NO_SHIPPING,
  };
}

/**
 * One part of the money settled (the provider confirmed it, or it went to a person as a
 * manual-refund task): it moves from held to reversed or refunded.
 */
export function settleHeldAmount(a: HeldAllocation): OrderChange {
  if (a.tenderId === null) return { lines: [], tenders: [], shipping: NO_SHIPPING };
  const moved = a.operation === "reversal" ? { reversed: a.amount, reversalHeld: -a.amount } : { refunded: a.amount, refundHeld: -a.amount };
  return { lines: [], tenders: [tenderChange(a.tenderId, moved)], shipping: NO_SHIPPING };
}

function invalidState(message: string, details?: unknown) {
  return new AppError(ErrorCode.INVALID_STATE, message, details);
}

function unknown(message: string, details: unknown) {
  return new AppError(ErrorCode.VALIDATION_FAILED, message, details);
}

function nonNegativeSafe(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function checkLine(l: RefundLineState) {
  const counts = [l.shipped, l.released, l.cancelled, l.pendingCancel];
  const net = BigInt(l.unitPrice) * BigInt(l.quantity) - BigInt(l.discount) - BigInt(l.orderDiscountShare);
  if (!counts.every(nonNegativeSafe) || counts.reduce((s, c) => s + c, 0) > l.quantity) throw invalidState(`Line "${l.lineId}" would hold or cancel units it does not have`, { lineId: l.lineId });
  if (!nonNegativeSafe(l.netRefunded) || !nonNegativeSafe(l.taxRefunded) || BigInt(l.netRefunded) > net || l.taxRefunded > l.tax) {
    throw invalidState(`Line "${l.lineId}" would refund more than it is worth, or less than nothing`, { lineId: l.lineId });
  }
}

function checkTender(t: TenderState) {
  const amounts = [t.reversed, t.refunded, t.reversalHeld, t.refundHeld];
  if (!amounts.every(nonNegativeSafe) || t.reversed + t.reversalHeld > t.authorized - t.captured || t.refunded + t.refundHeld > t.captured) {
    throw invalidState(`Tender "${t.tenderId}" would return more than it can, or less than nothing`, { tenderId: t.tenderId });
  }
}

/** The lines after their changes (see applyOrderChange). */
export function applyLineChanges(lines: readonly RefundLineState[], changes: readonly LineChange[]): RefundLineState[] {
  const byLine = new Map<string, LineChange>();
  for (const c of changes) {
    if (!lines.some((l) => l.lineId === c.lineId)) throw unknown(`Order has no line "${c.lineId}"`, { lineId: c.lineId });
    byLine.set(c.lineId, c);
  }
  return lines.map((l) => {
    const c = byLine.get(l.lineId);
    if (!c) return { ...l };
    const next = { ...l, pendingCancel: l.pendingCancel + c.pendingCancel, released: l.released + c.released, cancelled: l.cancelled + c.cancelled, netRefunded: l.netRefunded + c.netRefunded, taxRefunded: l.taxRefunded + c.taxRefunded };
    checkLine(next);
    return next;
  });
}

/** The tenders after their changes (see applyOrderChange). */
export function applyTenderChanges(tenders: readonly TenderState[], changes: readonly TenderChange[]): TenderState[] {
  const next = tenders.map((t) => ({ ...t }));
  for (const c of changes) {
    const t = next.find((x) => x.tenderId === c.tenderId);
    if (!t) throw unknown(`Order has no tender "${c.tenderId}"`, { tenderId: c.tenderId });
    t.reversed += c.reversed;
    t.refunded += c.refunded;
    t.reversalHeld += c.reversalHeld;
    t.refundHeld += c.refundHeld;
  }
  next.forEach(checkTender);
  return next;
}

/** The order's shipping figures after the change (see applyOrderChange). */
export function applyShippingChange<S extends Pick<RefundOrderState, "shippingAmount" | "shippingTax" | "shippingRefunded" | "shippingTaxRefunded">>(state: S, change: ShippingChange): S {
  const shippingRefunded = state.shippingRefunded + change.shippingRefunded;
  const shippingTaxRefunded = state.shippingTaxRefunded + change.shippingTaxRefunded;
  if (!nonNegativeSafe(shippingRefunded) || !nonNegativeSafe(shippingTaxRefunded) || shippingRefunded > state.shippingAmount || shippingTaxRefunded > state.shippingTax) {
    throw invalidState("Shipping would be refunded more than it was charged, or less than nothing");
  }
  return { ...state, shippingRefunded, shippingTaxRefunded };
}

/**
 * The order after `change`, refusing (INVALID_STATE) what the database's CHECK constraints
 * refuse: counts below zero or beyond the quantity, more refunded than a line, a tender or the
 * shipping holds. Pure: the input is never changed.
 */
export function applyOrderChange<S extends RefundOrderState & { tenders?: TenderState[] }>(state: S, change: OrderChange): S {
  if (change.tenders.length > 0 && !state.tenders) throw invalidState("The change moves tender money but no tenders were given");
  const lines = applyLineChanges(state.lines, change.lines);
  const tenders = state.tenders ? applyTenderChanges(state.tenders, change.tenders) : undefined;
  return { ...applyShippingChange(state, change.shipping), lines, ...(tenders ? { tenders } : {}) };
}
