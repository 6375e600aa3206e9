import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyCancellation, applyOrderChange, holdCancellation } from "./order-transitions";
import { cancellableQuantity } from "./quantities";
import { computeRefund, lineNet, type RefundOrderState } from "./refund";
import { afterLineDiscounts, lineFactsArb, orderState, pct, refundLine } from "./test-support";
import { settleWarehouseAnswer } from "./warehouse-answer";

/*
 * SPEC §11 with §3: whatever the warehouse answers (all, some or none of the released units
 * stopped), the refunds of an order add up exactly to what was paid for the units that end
 * cancelled: all of it (shipping included) when every unit ends cancelled, and, when the rest
 * ships, what was paid minus exactly what the shipped units are still worth on their lines.
 * And each answer's refund is the preview's for the units stopped, never more than the "up to".
 */

const orderArb = fc
  .record({
    lines: fc.array(lineFactsArb({ quantity: 6, unitPrice: 50_000, discountPct: 60 }, fc.record({ releasedPct: fc.integer({ min: 0, max: 100 }) })), { minLength: 1, maxLength: 3 }),
    orderDiscountPct: fc.integer({ min: 0, max: 50 }),
    shipping: fc.integer({ min: 0, max: 2_000 }),
    shippingTax: fc.integer({ min: 0, max: 300 }),
  })
  .map(({ lines, orderDiscountPct, shipping, shippingTax }): RefundOrderState => {
    const base = lines.map((l, i) => refundLine(i, l, { released: Math.floor((l.quantity * l.releasedPct) / 100) }));
    return orderState("USD", base, pct(afterLineDiscounts(base).reduce((a, b) => a + b, 0), orderDiscountPct), shipping, shippingTax);
  });

/** One cancellation: per line a share of what may be named; the warehouse's answer per line as a share of what it was asked. */
const roundArb = fc.record({ picks: fc.array(fc.nat({ max: 100 }), { minLength: 3, maxLength: 3 }), stopped: fc.array(fc.nat({ max: 100 }), { minLength: 3, maxLength: 3 }) });

const paid = (s: RefundOrderState) => s.lines.reduce((sum, l) => sum + Number(lineNet(l)) + l.tax, 0) + s.shippingAmount + s.shippingTax;

/** Submit → (warehouse answer) → saga's order adjustment, on the in-memory order; returns the refund. */
function cancel(state: RefundOrderState, picks: number[], stoppedShare: number[]): { state: RefundOrderState; refund: number } | null {
  const selection = state.lines
    .map((l, i) => ({ lineId: l.lineId, quantity: Math.round(((cancellableQuantity(l) + l.released) * (picks[i] ?? 0)) / 100) }))
    .filter((s) => s.quantity > 0);
  if (selection.length === 0) return null;
  const breakdown = computeRefund(state, selection, "full_cancellation");
  const held = applyOrderChange(state, holdCancellation({ items: breakdown.lines, allocations: [], shipping: breakdown.totals.shipping, shippingTax: breakdown.totals.shippingTax }));
  let items: { lineId: string; quantity: number }[] = breakdown.lines;
  let refund = breakdown.totals.total;
  let next = held;
  if (breakdown.lines.some((l) => l.fromWarehouse > 0)) {
    const stopped = new Map(breakdown.lines.map((l, i) => [l.lineId, Math.round((l.fromWarehouse * (stoppedShare[i] ?? 0)) / 100)]));
    const settlement = settleWarehouseAnswer(
      {
        items: breakdown.lines.map((l) => ({ ...l, snapshot: state.lines.find((s) => s.lineId === l.lineId)! })),
        allocations: [{ tenderId: "T1", operation: "reversal", amount: breakdown.totals.total }],
        shipping: breakdown.totals.shipping,
        shippingTax: breakdown.totals.shippingTax,
        shippingWaived: 0,
        shippingTaxWaived: 0,
        noRefund: false,
      },
      stopped,
    );
    expect(settlement.totals.total).toBeLessThanOrEqual(breakdown.totals.total);
    // The refund for what was stopped is exactly a preview of that many units at the snapshot.
    const kept = settlement.items.filter((i) => i.quantity > 0);
    if (kept.length > 0) {
      const fresh = computeRefund(state, kept.map((i) => ({ lineId: i.lineId, quantity: i.quantity })), "full_cancellation");
      expect(settlement.totals.total).toBe(fresh.totals.total);
    }
    expect(settlement.allocationAmounts).toEqual([settlement.totals.total]);
    // No tenders here (the allocation's trim is checked above): the lines and the shipping.
    next = applyOrderChange(held, { ...settlement.change, tenders: [] });
    items = kept;
    refund = settlement.totals.total;
  }
  return { state: applyOrderChange(next, applyCancellation(items)), refund };
}

describe("refunds with warehouse answers (property)", () => {
  it("for any answers, an order ending fully cancelled refunds exactly what was paid; one whose rest ships refunds what was paid less what the shipped units are worth", () => {
    fc.assert(
      fc.property(orderArb, fc.array(roundArb, { minLength: 1, maxLength: 5 }), fc.boolean(), (order, rounds, endCancelled) => {
        let state = order;
        let refunded = 0;
        for (const r of rounds) {
          const done = cancel(state, r.picks, r.stopped);
          if (!done) continue;
          state = done.state;
          refunded += done.refund;
        }
        for (const l of state.lines) {
          expect(l.pendingCancel).toBe(0);
          expect(l.cancelled + l.released + cancellableQuantity(l)).toBe(l.quantity);
        }
        if (endCancelled) {
          // The rest is cancelled, the warehouse stopping everything asked.
          const done = cancel(state, [100, 100, 100], [100, 100, 100]);
          if (done) {
            state = done.state;
            refunded += done.refund;
          }
          expect(state.lines.every((l) => l.cancelled === l.quantity)).toBe(true);
          expect(refunded).toBe(paid(order));
        } else {
          // The rest ships: what is left on each line is what the shipped units are worth.
          const left = state.lines.reduce((s, l) => s + Number(lineNet(l)) - l.netRefunded + l.tax - l.taxRefunded, 0);
          const shippingLeft = state.shippingAmount - state.shippingRefunded + state.shippingTax - state.shippingTaxRefunded;
          expect(refunded + left + shippingLeft).toBe(paid(order));
          for (const l of state.lines) if (l.cancelled === 0) expect([l.netRefunded, l.taxRefunded]).toEqual([0, 0]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
