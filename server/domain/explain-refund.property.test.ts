import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateRefund, type RefundMethod, type TenderMethod, type TenderState } from "./allocation";
import { currencyExponent } from "./currency";
import { explainRefund, type ProrationStep } from "./explain-refund";
import { roundHalfUpDiv } from "./money";
import { cancellableQuantity } from "./quantities";
import {
  applyRefundToState,
  completeRefundInState,
  computeRefund,
  lineNet,
  type RefundOrderState,
  type RefundOverrides,
  type ShippingPolicy,
} from "./refund";
import { afterLineDiscounts, lineFactsArb, orderState, pct, refundLine } from "./test-support";

const orderArb = fc
  .record({
    currency: fc.constantFrom("USD", "JPY", "KWD"),
    lines: fc.array(lineFactsArb({ quantity: 7, unitPrice: 500_000, discountPct: 100 }, fc.record({ shipped: fc.integer({ min: 0, max: 3 }), released: fc.integer({ min: 0, max: 2 }) })), { minLength: 1, maxLength: 4 }),
    discounts: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
    shipping: fc.integer({ min: 0, max: 5000 }),
    shippingTax: fc.integer({ min: 0, max: 900 }),
  })
  .map(({ currency, lines, discounts, shipping, shippingTax }) => {
    const base = lines.map((l, i) => {
      const shipped = Math.min(l.shipped, l.quantity);
      return refundLine(i, l, { shipped, released: Math.min(l.released, l.quantity - shipped) });
    });
    // Each code a percentage of what is left, so their sum never exceeds the lines' value.
    let left = afterLineDiscounts(base).reduce((a, b) => a + b, 0);
    const orderDiscounts = discounts.map((p, i) => {
      const amount = pct(left, p);
      left -= amount;
      return { code: `CODE${i}`, amount };
    });
    const state = orderState(currency, base, orderDiscounts.reduce((s, d) => s + d.amount, 0), shipping, shippingTax);
    return { state, orderDiscounts };
  });

const scenarioArb = fc.record({
  order: orderArb,
  earlier: fc.array(fc.record({ picks: fc.array(fc.nat({ max: 7 }), { minLength: 4, maxLength: 4 }), held: fc.boolean() }), { maxLength: 3 }),
  picks: fc.array(fc.nat({ max: 9 }), { minLength: 4, maxLength: 4 }),
  policy: fc.constantFrom<ShippingPolicy>("full_cancellation", "never"),
  override: fc.constantFrom<RefundOverrides>({}, {}, { noRefund: true }, { refundShipping: true }),
  refundMethod: fc.constantFrom<RefundMethod>("original", "store_credit", "manual"),
  tenderMethods: fc.array(fc.constantFrom<TenderMethod>("card", "paypal", "gift_card", "store_credit"), { minLength: 1, maxLength: 3 }),
  capturedPct: fc.integer({ min: 0, max: 100 }),
});

function tendersCovering(total: number, methods: TenderMethod[], capturedPct: number): TenderState[] {
  const each = Math.ceil(total / methods.length);
  return methods.map((method, i) => {
    const authorized = i === methods.length - 1 ? total - each * (methods.length - 1) : each;
    const a = Math.max(0, authorized);
    return { tenderId: `T${i}`, method, provider: "internal", authorized: a, captured: pct(a, capturedPct), reversed: 0, refunded: 0, reversalHeld: 0, refundHeld: 0 };
  });
}

/** The unrounded share, as shown, is within half a minor unit of the rounded one (it is cut one decimal further). */
function expectShownRounding(s: ProrationStep, exponent: number) {
  if (s.rule === "last_units_remainder") {
    expect(s.units).toBe(s.of);
    expect(s.result).toBe(s.remaining);
    expect(s.unrounded).toBeNull();
    return;
  }
  expect(s.units).toBeLessThan(s.of);
  expect(BigInt(s.result)).toBe(roundHalfUpDiv(BigInt(s.remaining) * BigInt(s.units), BigInt(s.of)));
  const digits = BigInt(s.unrounded!.major.replace(".", ""));
  const extra = s.unrounded!.exact ? 0 : 1;
  expect(s.unrounded!.major.split(".")[1]?.length ?? 0).toBe(exponent + extra);
  const tenths = digits * 10n ** BigInt(1 - extra);
  expect(tenths - BigInt(s.result) * 10n).toBeGreaterThanOrEqual(-5n);
  expect(tenths - BigInt(s.result) * 10n).toBeLessThan(5n);
}

describe("explainRefund (property)", () => {
  it("the explanation's numbers are the computed refund's: per line, shipping, per tender, and they add up to the total", () => {
    let explained = 0;
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        let state = sc.order.state;
        for (const e of sc.earlier) {
          const selection = state.lines.map((l, i) => ({ lineId: l.lineId, quantity: (e.picks[i] ?? 0) % (cancellableQuantity(l) + 1) })).filter((s) => s.quantity > 0);
          if (selection.length === 0) continue;
          const b = computeRefund(state, selection, sc.policy);
          state = applyRefundToState(state, b);
          if (!e.held) state = completeRefundInState(state, b);
        }
        const selection = state.lines
          .map((l, i) => ({ lineId: l.lineId, quantity: (sc.picks[i] ?? 0) % (cancellableQuantity(l) + l.released + 1) }))
          .filter((s) => s.quantity > 0);
        fc.pre(selection.length > 0);
        const shippingLeft = state.shippingAmount - state.shippingRefunded + state.shippingTax - state.shippingTaxRefunded;
        const overrides = sc.override.refundShipping && shippingLeft === 0 ? {} : sc.override;
        const breakdown = computeRefund(state, selection, sc.policy, overrides);
        const tenders = tendersCovering(breakdown.totals.total, sc.tenderMethods, sc.capturedPct);
        const allocation = allocateRefund(breakdown.totals.total, tenders, sc.refundMethod);
        const x = explainRefund({ order: state, orderDiscounts: sc.order.orderDiscounts, selection, policy: sc.policy, overrides, breakdown, tenders, allocation, refundMethod: sc.refundMethod });
        explained++;
        const exponent = currencyExponent(state.currency);

        expect(x.lines.map((l) => [l.lineId, l.quantity])).toEqual(breakdown.lines.map((l) => [l.lineId, l.quantity]));
        for (const [i, l] of x.lines.entries()) {
          const b = breakdown.lines[i]!;
          const line = state.lines.find((s) => s.lineId === l.lineId)!;
          expect(l.gross - l.lineDiscount - (l.orderDiscount?.share ?? 0)).toBe(l.net);
          expect(l.net).toBe(Number(lineNet(line)));
          if (l.orderDiscount) expect(l.orderDiscount.total).toBe(sc.order.orderDiscounts.reduce((s, d) => s + d.amount, 0));
          expect(l.merchandise.remaining).toBe(l.net - l.earlier.net);
          expect(l.taxStep.remaining).toBe(l.tax - l.earlier.tax);
          expect(l.merchandise.of).toBe(l.orderedQuantity - l.earlier.units);
          expectShownRounding(l.merchandise, exponent);
          expectShownRounding(l.taxStep, exponent);
          // The shown shares are the refund (or, under noRefund, what is settled without one).
          expect(l.noRefund ? [b.waivedMerchandise, b.waivedTax] : [b.merchandise, b.tax]).toEqual([l.merchandise.result, l.taxStep.result]);
          expect(l.refund).toEqual({ subtotal: b.subtotal, discount: b.discount, merchandise: b.merchandise, tax: b.tax, total: b.total });
          expect(l.refund.subtotal).toBe(l.unitPrice * l.quantity);
        }
        const linesTotal = x.lines.reduce((s, l) => s + l.refund.total, 0);
        expect(linesTotal + x.shipping.shipping + x.shipping.shippingTax).toBe(breakdown.totals.total);
        expect(x.total).toBe(breakdown.totals.total);
        expect(x.shipping.refunded).toBe(x.shipping.reason === "completes_order" || x.shipping.reason === "override");
        if (x.shipping.refunded) expect([x.shipping.shipping, x.shipping.shippingTax]).toEqual([x.shipping.due, x.shipping.taxDue]);
        if (x.shipping.reason === "units_shipped") expect(x.shipping.shippedUnits).toBeGreaterThan(0);
        if (x.shipping.reason === "units_left") expect(x.shipping.unitsLeft).toBeGreaterThan(0);
        expect(x.tenders.reduce((s, t) => s + t.amount, 0)).toBe(breakdown.totals.total);
        for (const t of x.tenders) {
          if (t.operation === "reversal") expect(t.amount).toBeLessThanOrEqual(t.reversible);
          else expect(t.amount).toBeLessThanOrEqual(t.refundable);
        }
      }),
      { numRuns: 1000 },
    );
    expect(explained).toBeGreaterThan(500);
  });
});

describe("explainRefund — SPEC §3 worked example A", () => {
  const order: RefundOrderState = {
    currency: "USD",
    shippingAmount: 1000,
    shippingTax: 0,
    shippingRefunded: 0,
    shippingTaxRefunded: 0,
    lines: [
      { lineId: "A", quantity: 3, unitPrice: 10000, discount: 0, tax: 2228, orderDiscountShare: 3000, shipped: 0, released: 0, cancelled: 0, pendingCancel: 0, netRefunded: 0, taxRefunded: 0 },
      { lineId: "B", quantity: 1, unitPrice: 5000, discount: 0, tax: 371, orderDiscountShare: 500, shipped: 0, released: 0, cancelled: 0, pendingCancel: 0, netRefunded: 0, taxRefunded: 0 },
    ],
  };
  const tenders: TenderState[] = [{ tenderId: "T1", method: "card", provider: "stripe", authorized: 35099, captured: 0, reversed: 0, refunded: 0, reversalHeld: 0, refundHeld: 0 }];
  const explain = (state: RefundOrderState, selection: { lineId: string; quantity: number }[]) => {
    const breakdown = computeRefund(state, selection, "full_cancellation");
    const allocation = allocateRefund(breakdown.totals.total, tenders, "original");
    return { breakdown, x: explainRefund({ order: state, orderDiscounts: [{ code: "SPRING35", amount: 3500 }], selection, policy: "full_cancellation", breakdown, tenders, allocation, refundMethod: "original" }) };
  };

  it("cancel 2 of A: the discount share 30.00 of 35.00, 270.00 × 2/3 = 180.00, 22.28 × 2/3 = 14.853… → 14.85, no shipping (units left), a reversal", () => {
    const { x } = explain(order, [{ lineId: "A", quantity: 2 }]);
    const a = x.lines[0]!;
    expect(a.orderDiscount).toMatchObject({ total: 3500, share: 3000, lineValue: 30000, ordersValue: 35000, unrounded: { major: "30.00", exact: true } });
    expect(a.merchandise).toEqual({ remaining: 27000, units: 2, of: 3, rule: "proportional_half_up", unrounded: { major: "180.00", exact: true }, result: 18000 });
    expect(a.taxStep).toEqual({ remaining: 2228, units: 2, of: 3, rule: "proportional_half_up", unrounded: { major: "14.853", exact: false }, result: 1485 });
    expect(x.shipping).toMatchObject({ refunded: false, reason: "units_left", unitsLeft: 2 });
    expect(x.tenders).toEqual([expect.objectContaining({ tenderId: "T1", operation: "reversal", amount: 19485, reason: "uncaptured_authorization", reversible: 35099 })]);
    expect(x.total).toBe(19485);
  });

  it("then the last A takes the remainder and B, the last unit of the order, takes the shipping", () => {
    const first = computeRefund(order, [{ lineId: "A", quantity: 2 }], "full_cancellation");
    let state = completeRefundInState(applyRefundToState(order, first), first);
    const { x: second, breakdown } = explain(state, [{ lineId: "A", quantity: 1 }]);
    expect(second.lines[0]!.merchandise).toMatchObject({ remaining: 9000, rule: "last_units_remainder", result: 9000 });
    expect(second.lines[0]!.taxStep).toMatchObject({ remaining: 743, rule: "last_units_remainder", result: 743 });
    state = completeRefundInState(applyRefundToState(state, breakdown), breakdown);
    const { x: third } = explain(state, [{ lineId: "B", quantity: 1 }]);
    expect(third.shipping).toMatchObject({ refunded: true, reason: "completes_order", shipping: 1000, shippingTax: 0 });
    expect(third.total).toBe(5871);
  });
});
