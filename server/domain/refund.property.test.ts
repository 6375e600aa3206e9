import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent } from "./currency";
import { formatAmount, parseAmount } from "./money";
import { applyOrderChange, holdCancellation } from "./order-transitions";
import { cancellableQuantity } from "./quantities";
import {
  applyRefundToState,
  completeRefundInState,
  computeRefund,
  lineNet,
  releaseRefundFromState,
  shippingAdditionHolding,
  shippingDueOnFullCancellation,
  splitOrderDiscount,
  type RefundBreakdown,
  type RefundOrderState,
  type RefundOverrides,
  type ShippingPolicy,
} from "./refund";

const RUNS = { numRuns: 1000 };

/** A percentage of an amount, floored, in BigInt (keeps floats away from money). */
const pct = (amount: number, percent: number) => Number((BigInt(amount) * BigInt(percent)) / 100n);

const lineArb = fc.record({
  quantity: fc.integer({ min: 1, max: 7 }),
  unitMajor: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5000 })),
  unitMinor: fc.nat(),
  discountPct: fc.integer({ min: 0, max: 100 }),
  taxPct: fc.integer({ min: 0, max: 30 }),
  shipped: fc.integer({ min: 0, max: 7 }),
});

const orderArb = (currencies: string[], withShipped: boolean) =>
  fc.record({
    currency: fc.constantFrom(...currencies),
    lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
    orderDiscountPct: fc.integer({ min: 0, max: 100 }),
    shippingMinor: fc.integer({ min: 0, max: 5000 }),
    shippingTaxMinor: fc.integer({ min: 0, max: 900 }),
  }).map(({ currency, lines, orderDiscountPct, shippingMinor, shippingTaxMinor }): RefundOrderState => {
    const scale = 10 ** currencyExponent(currency);
    // Amounts go through the same major-unit strings an import carries.
    const money = (minor: number) => parseAmount(formatAmount(minor, currency), currency);
    const base = lines.map((l, i) => {
      const unitPrice = money(l.unitMajor * scale + (l.unitMinor % scale));
      const gross = unitPrice * l.quantity;
      return {
        lineId: `L${i}`, quantity: l.quantity, unitPrice, discount: pct(gross, l.discountPct),
        tax: pct(gross, l.taxPct), orderDiscountShare: 0, shipped: withShipped ? Math.min(l.shipped, l.quantity) : 0,
        released: 0, cancelled: 0, pendingCancel: 0, netRefunded: 0, taxRefunded: 0,
      };
    });
    const afterLine = base.map((l) => l.unitPrice * l.quantity - l.discount);
    const orderDiscount = pct(afterLine.reduce((a, b) => a + b, 0), orderDiscountPct);
    const shares = splitOrderDiscount(afterLine, orderDiscount);
    return {
      currency,
      lines: base.map((l, i) => ({ ...l, orderDiscountShare: shares[i] ?? 0 })),
      shippingAmount: money(pct(shippingMinor * scale, 1)),
      shippingTax: money(pct(shippingTaxMinor * scale, 1)),
      shippingRefunded: 0,
      shippingTaxRefunded: 0,
    };
  });

const stepArb = fc.record({
  picks: fc.array(fc.nat({ max: 7 }), { minLength: 4, maxLength: 4 }),
  outcome: fc.constantFrom("complete", "hold", "reject", "releaseOldestHeld"),
  override: fc.constantFrom<RefundOverrides>({}, {}, { noRefund: true }, { refundShipping: true }),
});

function selectionFor(state: RefundOrderState, picks: number[]) {
  return state.lines
    .map((line, i) => ({ lineId: line.lineId, quantity: (picks[i] ?? 0) % (cancellableQuantity(line) + 1) }))
    .filter((s) => s.quantity > 0);
}

function checkBreakdown(b: RefundBreakdown) {
  for (const l of b.lines) {
    expect(l.merchandise).toBeGreaterThanOrEqual(0);
    expect(l.tax).toBeGreaterThanOrEqual(0);
    expect(l.discount).toBeGreaterThanOrEqual(0);
    expect(l.subtotal - l.discount).toBe(l.merchandise);
    expect(l.total).toBe(l.merchandise + l.tax);
    expect(l.waivedMerchandise).toBeGreaterThanOrEqual(0);
    expect(l.waivedTax).toBeGreaterThanOrEqual(0);
  }
  const t = b.totals;
  expect(t.total).toBe(t.subtotal - t.discount + t.tax + t.shipping + t.shippingTax);
}

/** Runs the steps (holding, completing, rejecting), then cancels whatever is left. */
type Step = { picks: number[]; outcome: string; override?: RefundOverrides };

/** Overrides only where they apply: refundShipping needs shipping left to refund. */
function applicable(state: RefundOrderState, override: RefundOverrides | undefined, useOverrides: boolean): RefundOverrides {
  if (!useOverrides || !override) return {};
  const shippingLeft = state.shippingAmount - state.shippingRefunded + state.shippingTax - state.shippingTaxRefunded;
  return override.refundShipping && shippingLeft === 0 ? {} : override;
}

/** The shipping a saga adds (SPEC §3) as the part it refunds, or settles without refund under noRefund. */
function addedShippingPart(due: { shipping: number; shippingTax: number; total: number }, noRefund: boolean): RefundBreakdown {
  const totals = { subtotal: 0, discount: 0, tax: 0, shipping: noRefund ? 0 : due.shipping, shippingTax: noRefund ? 0 : due.shippingTax, total: noRefund ? 0 : due.total };
  const override = noRefund ? { refundShipping: false, noRefund: true, shippingAdded: 0, waived: due.total, shippingWaived: due.shipping, shippingTaxWaived: due.shippingTax } : null;
  return { lines: [], totals, override };
}

function runSequence(start: RefundOrderState, steps: Step[], policy: ShippingPolicy, useOverrides = false) {
  let state = start;
  let held: RefundBreakdown[] = [];
  const counted: RefundBreakdown[] = [];
  const added: RefundBreakdown[] = [];
  const accept = (b: RefundBreakdown) => {
    checkBreakdown(b);
    // SPEC §3: while another cancellation holds units, none takes the shipping by the policy.
    if (state.lines.some((l) => l.pendingCancel > 0) && !b.override?.refundShipping) expect(b.totals.shipping + b.totals.shippingTax).toBe(0);
    state = applyRefundToState(state, b);
  };
  // The saga's order adjustment, then the shipping it adds if that left the order fully cancelled.
  const complete = (b: RefundBreakdown) => {
    state = completeRefundInState(state, b);
    counted.push(b);
    const due = shippingDueOnFullCancellation(state, policy);
    if (!due) return;
    state = applyOrderChange(state, holdCancellation(shippingAdditionHolding(due, [])));
    const part = addedShippingPart(due, b.override?.noRefund === true);
    counted.push(part);
    added.push(part);
    // Added once: the order now owes no shipping.
    expect(shippingDueOnFullCancellation(state, policy)).toBeNull();
  };
  for (const step of steps) {
    if (step.outcome === "releaseOldestHeld" && held.length > 0) {
      state = releaseRefundFromState(state, held[0]!);
      held = held.slice(1);
      continue;
    }
    const selection = selectionFor(state, step.picks);
    if (selection.length === 0) continue;
    const b = computeRefund(state, selection, policy, applicable(state, step.override, useOverrides));
    accept(b);
    if (step.outcome === "reject") state = releaseRefundFromState(state, b);
    else if (step.outcome === "hold") held.push(b);
    else complete(b);
  }
  for (const b of held) complete(b);
  const rest = state.lines.map((l) => ({ lineId: l.lineId, quantity: cancellableQuantity(l) })).filter((s) => s.quantity > 0);
  if (rest.length > 0) {
    const b = computeRefund(state, rest, policy);
    accept(b);
    complete(b);
  }
  return { state, counted, added };
}

describe("refund sequences (property)", () => {
  it("refund exactly what was paid once every unit is cancelled, per line and in total (JPY, USD, KWD)", () => {
    fc.assert(
      fc.property(
        orderArb(["JPY", "USD", "KWD"], false),
        fc.array(stepArb, { maxLength: 8 }),
        fc.constantFrom<ShippingPolicy>("full_cancellation", "never"),
        (order, steps, policy) => {
          const { state, counted } = runSequence(order, steps, policy);
          expect(state.lines.every((l) => l.cancelled === l.quantity && l.pendingCancel === 0)).toBe(true);
          for (const line of order.lines) {
            const parts = counted.flatMap((b) => b.lines.filter((l) => l.lineId === line.lineId));
            expect(parts.reduce((s, l) => s + l.merchandise, 0)).toBe(Number(lineNet(line)));
            expect(parts.reduce((s, l) => s + l.tax, 0)).toBe(line.tax);
            expect(parts.reduce((s, l) => s + l.quantity, 0)).toBe(line.quantity);
          }
          const shipping = policy === "full_cancellation" ? order.shippingAmount + order.shippingTax : 0;
          const paid = order.lines.reduce((s, l) => s + Number(lineNet(l)) + l.tax, 0) + shipping;
          expect(counted.reduce((s, b) => s + b.totals.total, 0)).toBe(paid);
          expect(counted.reduce((s, b) => s + b.totals.shipping + b.totals.shippingTax, 0)).toBe(shipping);
        },
      ),
      RUNS,
    );
  });

  it("the shipping a held cancellation kept from the last units is added once, by the saga that fully cancels the order, and the sum stays exact", () => {
    let runsWithAddition = 0;
    fc.assert(
      fc.property(orderArb(["JPY", "USD", "KWD"], false), fc.array(stepArb, { minLength: 2, maxLength: 8 }), (order, steps) => {
        fc.pre(order.shippingAmount + order.shippingTax > 0);
        const { state, counted, added } = runSequence(order, steps, "full_cancellation");
        expect(added.length).toBeLessThanOrEqual(1);
        if (added.length) runsWithAddition++;
        const fromPolicy = counted.filter((b) => b.lines.length > 0).reduce((s, b) => s + b.totals.shipping + b.totals.shippingTax, 0);
        const fromSaga = added.reduce((s, b) => s + b.totals.total, 0);
        expect(fromPolicy + fromSaga).toBe(order.shippingAmount + order.shippingTax);
        expect([state.shippingRefunded, state.shippingTaxRefunded]).toEqual([order.shippingAmount, order.shippingTax]);
        const paid = order.lines.reduce((s, l) => s + Number(lineNet(l)) + l.tax, 0) + order.shippingAmount + order.shippingTax;
        expect(counted.reduce((s, b) => s + b.totals.total, 0)).toBe(paid);
      }),
      RUNS,
    );
    // The sequences did reach the case: last units taken while others were held. About 65 runs of
    // the 1,000 do (56 to 79 measured over eight seeds; one CI run had exactly 50, which failed a
    // "> 50"): at least 20 proves the case is exercised without turning on the seed.
    expect(runsWithAddition).toBeGreaterThanOrEqual(20);
  });

  it("never refund more than was paid nor any shipping when units have shipped", () => {
    fc.assert(
      fc.property(orderArb(["JPY", "USD", "KWD"], true), fc.array(stepArb, { maxLength: 8 }), (order, steps) => {
        fc.pre(order.lines.some((l) => l.shipped > 0));
        const { counted } = runSequence(order, steps, "full_cancellation");
        expect(counted.every((b) => b.totals.shipping === 0 && b.totals.shippingTax === 0)).toBe(true);
        for (const line of order.lines) {
          const parts = counted.flatMap((b) => b.lines.filter((l) => l.lineId === line.lineId));
          expect(parts.reduce((s, l) => s + l.merchandise, 0)).toBeLessThanOrEqual(Number(lineNet(line)));
          expect(parts.reduce((s, l) => s + l.tax, 0)).toBeLessThanOrEqual(line.tax);
          expect(parts.reduce((s, l) => s + l.quantity, 0)).toBe(line.quantity - line.shipped);
        }
      }),
      RUNS,
    );
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("overrides (property)", () => {
  it("whatever mix of refundShipping and noRefund cancellations, refunded + settled without refund = what was paid, per line and in total; shipping is settled at most once", () => {
    fc.assert(
      fc.property(
        orderArb(["JPY", "USD", "KWD"], false),
        fc.array(stepArb, { maxLength: 8 }),
        fc.constantFrom<ShippingPolicy>("full_cancellation", "never"),
        (order, steps, policy) => {
          const { state, counted } = runSequence(order, steps, policy, true);
          expect(state.lines.every((l) => l.cancelled === l.quantity && l.pendingCancel === 0)).toBe(true);
          for (const line of order.lines) {
            const parts = counted.flatMap((b) => b.lines.filter((l) => l.lineId === line.lineId));
            expect(parts.reduce((s, l) => s + l.merchandise + l.waivedMerchandise, 0)).toBe(Number(lineNet(line)));
            expect(parts.reduce((s, l) => s + l.tax + l.waivedTax, 0)).toBe(line.tax);
          }
          for (const b of counted) {
            if (b.override?.noRefund) expect(b.totals.total).toBe(0);
            else expect(b.lines.every((l) => l.waivedMerchandise === 0 && l.waivedTax === 0)).toBe(true);
          }
          const shippingSettled = counted.reduce((s, b) => s + b.totals.shipping + b.totals.shippingTax + (b.override?.shippingWaived ?? 0) + (b.override?.shippingTaxWaived ?? 0), 0);
          expect(shippingSettled).toBeLessThanOrEqual(order.shippingAmount + order.shippingTax);
          if (policy === "full_cancellation") expect(shippingSettled).toBe(order.shippingAmount + order.shippingTax);
          const waived = counted.reduce((s, b) => s + (b.override?.waived ?? 0), 0);
          const refunded = counted.reduce((s, b) => s + b.totals.total, 0);
          const paidLines = order.lines.reduce((s, l) => s + Number(lineNet(l)) + l.tax, 0);
          expect(refunded + waived).toBe(paidLines + shippingSettled);
          expect(state.shippingRefunded + state.shippingTaxRefunded).toBe(shippingSettled);
        },
      ),
      RUNS,
    );
  });
});

describe("purity (property)", () => {
  it("computeRefund and the state transitions never mutate their inputs", () => {
    fc.assert(
      fc.property(orderArb(["USD", "KWD"], true), stepArb, (order, step) => {
        const selection = selectionFor(order, step.picks);
        fc.pre(selection.length > 0);
        const before = structuredClone(order);
        const selectionBefore = structuredClone(selection);
        deepFreeze(order);
        deepFreeze(selection);
        const b = computeRefund(order, selection, "full_cancellation");
        const bBefore = structuredClone(b);
        deepFreeze(b);
        const held = applyRefundToState(order, b);
        completeRefundInState(held, b);
        releaseRefundFromState(held, b);
        expect(order).toEqual(before);
        expect(selection).toEqual(selectionBefore);
        expect(b).toEqual(bBefore);
      }),
      RUNS,
    );
  });
});
