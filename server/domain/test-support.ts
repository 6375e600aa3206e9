import fc from "fast-check";
import { type RefundLineState, type RefundOrderState, splitOrderDiscount } from "./refund";

/*
 * Orders for the domain's property tests (explain-refund, warehouse-answer): lines generated as
 * facts (units, unit price, discount and tax as percentages of the line's gross), turned into the
 * refund model's state with the order's discount split over them as an import splits it.
 */

/** A percentage of an amount, floored, in BigInt (keeps floats away from money). */
export const pct = (amount: number, percent: number) => Number((BigInt(amount) * BigInt(percent)) / 100n);

export interface LineFacts {
  quantity: number;
  unitPrice: number;
  discountPct: number;
  taxPct: number;
}

/** A line's facts up to the given maxima (tax up to 30 %), with the fields of `extra` beside them. */
export function lineFactsArb<E extends object>(max: { quantity: number; unitPrice: number; discountPct: number }, extra: fc.Arbitrary<E>): fc.Arbitrary<LineFacts & E> {
  const facts = fc.record({
    quantity: fc.integer({ min: 1, max: max.quantity }),
    unitPrice: fc.integer({ min: 0, max: max.unitPrice }),
    discountPct: fc.integer({ min: 0, max: max.discountPct }),
    taxPct: fc.integer({ min: 0, max: 30 }),
  });
  return fc.tuple(facts, extra).map(([f, e]) => ({ ...f, ...e }));
}

/** Line `L<i>` as nothing has happened to it yet but `units` shipped or released. */
export function refundLine(i: number, l: LineFacts, units: { shipped?: number; released?: number } = {}): RefundLineState {
  const gross = l.unitPrice * l.quantity;
  return {
    lineId: `L${i}`, quantity: l.quantity, unitPrice: l.unitPrice, discount: pct(gross, l.discountPct), tax: pct(gross, l.taxPct),
    orderDiscountShare: 0, shipped: units.shipped ?? 0, released: units.released ?? 0, cancelled: 0, pendingCancel: 0, netRefunded: 0, taxRefunded: 0,
  };
}

/** What each line is worth after its own discount, before the order's. */
export const afterLineDiscounts = (lines: RefundLineState[]) => lines.map((l) => l.unitPrice * l.quantity - l.discount);

/** The order with `orderDiscount` split over its lines and nothing refunded yet. */
export function orderState(currency: string, lines: RefundLineState[], orderDiscount: number, shipping: number, shippingTax: number): RefundOrderState {
  const shares = splitOrderDiscount(afterLineDiscounts(lines), orderDiscount);
  return { currency, lines: lines.map((l, i) => ({ ...l, orderDiscountShare: shares[i] ?? 0 })), shippingAmount: shipping, shippingTax, shippingRefunded: 0, shippingTaxRefunded: 0 };
}
