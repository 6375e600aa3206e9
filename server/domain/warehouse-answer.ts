import type { AllocationOperation } from "./allocation";
import { AppError, ErrorCode } from "./errors";
import type { LineChange, OrderChange, TenderChange } from "./order-transitions";
import { refundUnits, type RefundLineBreakdown, type RefundLineState, type RefundTotals } from "./refund";

/*
 * SPEC §11: the warehouse answered which of the released units it stopped. The cancellation keeps
 * its cancellable units and the stopped ones; the units it could not stop go back to `released`
 * (they will ship) and their part of the refund is dropped. The refund for the units kept is
 * computed from the line as it stood when the cancellation took its hold (the snapshot), exactly as
 * a preview of that many units at that moment, so it is never more than the preview's "up to".
 */

export interface WarehouseHeldItem {
  lineId: string;
  quantity: number;
  fromWarehouse: number;
  subtotal: number;
  discount: number;
  merchandise: number;
  tax: number;
  total: number;
  waivedMerchandise: number;
  waivedTax: number;
  /** The line before this cancellation's hold. */
  snapshot: RefundLineState;
}

export interface WarehouseHolding {
  items: readonly WarehouseHeldItem[];
  /** Pending allocations in position order; the answer trims them from the end. */
  allocations: readonly { tenderId: string; operation: AllocationOperation; amount: number }[];
  shipping: number;
  shippingTax: number;
  shippingWaived: number;
  shippingTaxWaived: number;
  noRefund: boolean;
}

/** A held line's refund for the units the warehouse stopped (refund.ts's breakdown of them). */
export interface ResizedItem extends Omit<RefundLineBreakdown, "fromWarehouse"> {
  /** Units the warehouse could not stop: they stay released. */
  leftWithWarehouse: number;
}

export interface WarehouseSettlement {
  items: ResizedItem[];
  /** Allocation amounts in the holding's order (0: the part is dropped). */
  allocationAmounts: number[];
  totals: RefundTotals;
  shippingWaived: number;
  shippingTaxWaived: number;
  /** What the order gives back: units to released, amounts no longer held. */
  change: OrderChange;
}

/** `stopped`: per line id, the units of `fromWarehouse` the warehouse stopped (0 when refused or timed out). */
export function settleWarehouseAnswer(h: WarehouseHolding, stopped: ReadonlyMap<string, number>): WarehouseSettlement {
  const items = h.items.map((item): ResizedItem => {
    const n = item.fromWarehouse > 0 ? (stopped.get(item.lineId) ?? 0) : 0;
    if (!Number.isSafeInteger(n) || n < 0 || n > item.fromWarehouse) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `Line "${item.lineId}": the warehouse stopped ${n} of ${item.fromWarehouse} units`, { lineId: item.lineId, stopped: n });
    }
    const left = item.fromWarehouse - n;
    if (left === 0) return { ...item, leftWithWarehouse: 0 };
    const kept = refundUnits(item.snapshot, item.quantity - left, h.noRefund);
    return { ...kept, lineId: item.lineId, leftWithWarehouse: left };
  });
  const shortfall = items.some((i) => i.leftWithWarehouse > 0);
  // Units stay with the warehouse, so this cancellation no longer empties the order: its shipping goes back.
  const shipping = shortfall ? 0 : h.shipping;
  const shippingTax = shortfall ? 0 : h.shippingTax;
  const shippingWaived = shortfall ? 0 : h.shippingWaived;
  const shippingTaxWaived = shortfall ? 0 : h.shippingTaxWaived;
  const sum = (pick: (i: ResizedItem) => number) => items.reduce((s, i) => s + pick(i), 0);
  const subtotal = sum((i) => i.subtotal);
  const discount = sum((i) => i.discount);
  const tax = sum((i) => i.tax);
  const total = subtotal - discount + tax + shipping + shippingTax;

  // Reversal before refund (SPEC §4) holds for any prefix of the allocation: trim from the end.
  let remaining = total;
  const allocationAmounts = h.allocations.map((a) => {
    const amount = Math.min(remaining, a.amount);
    remaining -= amount;
    return amount;
  });
  if (remaining !== 0) throw new AppError(ErrorCode.INTERNAL, "The warehouse answer would refund more than the cancellation held", { total });

  const lines: LineChange[] = h.items.map((old, i) => {
    const now = items[i]!;
    return {
      lineId: old.lineId,
      pendingCancel: now.quantity - old.quantity,
      released: now.leftWithWarehouse,
      cancelled: 0,
      netRefunded: now.merchandise + now.waivedMerchandise - old.merchandise - old.waivedMerchandise,
      taxRefunded: now.tax + now.waivedTax - old.tax - old.waivedTax,
    };
  });
  const tenders: TenderChange[] = h.allocations.map((a, i) => {
    const delta = allocationAmounts[i]! - a.amount;
    return { tenderId: a.tenderId, reversed: 0, refunded: 0, reversalHeld: a.operation === "reversal" ? delta : 0, refundHeld: a.operation === "reversal" ? 0 : delta };
  });
  return {
    items,
    allocationAmounts,
    totals: { subtotal, discount, tax, shipping, shippingTax, total },
    shippingWaived,
    shippingTaxWaived,
    change: {
      lines,
      tenders: tenders.filter((t) => t.reversalHeld !== 0 || t.refundHeld !== 0),
      shipping: { shippingRefunded: shipping + shippingWaived - h.shipping - h.shippingWaived, shippingTaxRefunded: shippingTax + shippingTaxWaived - h.shippingTax - h.shippingTaxWaived },
    },
  };
}
