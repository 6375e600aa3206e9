import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { parseAmount } from "./money";
import {
  applyRefundToState,
  completeRefundInState,
  computeRefund,
  releaseRefundFromState,
  shippingDueOnFullCancellation,
  splitOrderDiscount,
  type RefundLineState,
  type RefundOrderState,
} from "./refund";

function line(lineId: string, quantity: number, unitPrice: number, tax: number, over: Partial<RefundLineState> = {}): RefundLineState {
  return {
    lineId, quantity, unitPrice, discount: 0, tax, orderDiscountShare: 0, shipped: 0, released: 0,
    cancelled: 0, pendingCancel: 0, netRefunded: 0, taxRefunded: 0, ...over,
  };
}

function order(currency: string, lines: RefundLineState[], orderDiscount: number, shipping = 0, shippingTax = 0): RefundOrderState {
  const shares = splitOrderDiscount(lines.map((l) => l.unitPrice * l.quantity - l.discount), orderDiscount);
  return {
    currency,
    lines: lines.map((l, i) => ({ ...l, orderDiscountShare: shares[i] ?? 0 })),
    shippingAmount: shipping, shippingTax, shippingRefunded: 0, shippingTaxRefunded: 0,
  };
}

const usd = (v: string) => parseAmount(v, "USD");

function exampleA(): RefundOrderState {
  return order("USD", [line("A", 3, usd("100.00"), usd("22.28")), line("B", 1, usd("50.00"), usd("3.71"))], usd("35.00"), usd("10.00"), 0);
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

describe("splitOrderDiscount", () => {
  it("splits example A as 30.00 / 5.00 and example C as 3.34 / 3.33 / 3.33", () => {
    expect(splitOrderDiscount([30000, 5000], 3500)).toEqual([3000, 500]);
    expect(splitOrderDiscount([1000, 1000, 1000], 1000)).toEqual([334, 333, 333]);
  });

  it("refuses order discounts larger than the lines", () => {
    expect(errorOf(() => splitOrderDiscount([100, 200], 301)).code).toBe("VALIDATION_FAILED");
    expect(errorOf(() => splitOrderDiscount([0, 0], 1)).code).toBe("VALIDATION_FAILED");
  });
});

describe("SPEC worked example A (USD)", () => {
  it("refunds 194.85, then 97.43, then 58.71 with shipping; 350.99 in all", () => {
    let state = exampleA();
    expect(state.lines.map((l) => l.orderDiscountShare)).toEqual([3000, 500]);

    const first = computeRefund(state, [{ lineId: "A", quantity: 2 }], "full_cancellation");
    expect(first.lines).toEqual([{ lineId: "A", quantity: 2, subtotal: 20000, discount: 2000, merchandise: 18000, tax: 1485, total: 19485, waivedMerchandise: 0, waivedTax: 0, fromWarehouse: 0 }]);
    expect(first.override).toBeNull();
    expect(first.totals).toEqual({ subtotal: 20000, discount: 2000, tax: 1485, shipping: 0, shippingTax: 0, total: 19485 });
    state = completeRefundInState(applyRefundToState(state, first), first);

    const second = computeRefund(state, [{ lineId: "A", quantity: 1 }], "full_cancellation");
    expect(second.lines[0]).toMatchObject({ merchandise: 9000, tax: 743, total: 9743 });
    expect(second.totals.total).toBe(9743);
    state = completeRefundInState(applyRefundToState(state, second), second);

    const third = computeRefund(state, [{ lineId: "B", quantity: 1 }], "full_cancellation");
    expect(third.lines[0]).toMatchObject({ merchandise: 4500, tax: 371, total: 4871 });
    expect(third.totals).toEqual({ subtotal: 5000, discount: 500, tax: 371, shipping: 1000, shippingTax: 0, total: 5871 });
    expect(shippingDueOnFullCancellation(completeRefundInState(applyRefundToState(state, third), third), "full_cancellation")).toBeNull();

    expect(first.totals.total + second.totals.total + third.totals.total).toBe(usd("350.99"));
  });

  it("with the second still held, the third takes no shipping; once both are done the shipping is due, once", () => {
    let state = exampleA();
    const first = computeRefund(state, [{ lineId: "A", quantity: 2 }], "full_cancellation");
    state = completeRefundInState(applyRefundToState(state, first), first);
    const second = computeRefund(state, [{ lineId: "A", quantity: 1 }], "full_cancellation");
    // Held, not yet completed: the held units still count as cancelled for what remains.
    state = applyRefundToState(state, second);
    const third = computeRefund(state, [{ lineId: "B", quantity: 1 }], "full_cancellation");
    expect(third.totals).toEqual({ subtotal: 5000, discount: 500, tax: 371, shipping: 0, shippingTax: 0, total: 4871 });
    state = completeRefundInState(applyRefundToState(state, third), third);
    expect(shippingDueOnFullCancellation(state, "full_cancellation")).toBeNull(); // the second still holds A
    state = completeRefundInState(state, second);
    expect(shippingDueOnFullCancellation(state, "full_cancellation")).toEqual({ shipping: 1000, shippingTax: 0, total: 1000 });
    expect(shippingDueOnFullCancellation(state, "never")).toBeNull();
    expect(shippingDueOnFullCancellation({ ...state, shippingRefunded: 1000 }, "full_cancellation")).toBeNull();
    expect(first.totals.total + second.totals.total + third.totals.total + 1000).toBe(usd("350.99"));
  });
});

describe("SPEC worked example B (JPY)", () => {
  it("refunds ¥1064, ¥1064, ¥1062", () => {
    const jpy = (v: string) => parseAmount(v, "JPY");
    let state = order("JPY", [line("1", 3, jpy("1000"), jpy("290"))], jpy("100"));
    const totals: number[] = [];
    const parts: [number, number][] = [];
    for (let i = 0; i < 3; i++) {
      const b = computeRefund(state, [{ lineId: "1", quantity: 1 }], "full_cancellation");
      totals.push(b.totals.total);
      parts.push([b.lines[0]?.merchandise ?? -1, b.lines[0]?.tax ?? -1]);
      state = applyRefundToState(state, b);
    }
    expect(parts).toEqual([[967, 97], [967, 97], [966, 96]]);
    expect(totals).toEqual([1064, 1064, 1062]);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(3190);
  });
});

describe("SPEC worked example C (remainder)", () => {
  it("gives the order discount 3.34 / 3.33 / 3.33 and refunds each line net of its share", () => {
    const state = order("USD", [line("1", 1, 1000, 0), line("2", 1, 1000, 0), line("3", 1, 1000, 0)], 1000);
    expect(state.lines.map((l) => l.orderDiscountShare)).toEqual([334, 333, 333]);
    const b = computeRefund(state, [{ lineId: "1", quantity: 1 }], "full_cancellation");
    expect(b.lines[0]).toMatchObject({ subtotal: 1000, discount: 334, merchandise: 666, total: 666 });
  });
});

describe("computeRefund rules", () => {
  it("counts held units as cancelled: r = quantity − cancelled − pendingCancel", () => {
    const state = order("USD", [line("A", 3, 10000, 0, { pendingCancel: 1, netRefunded: 10000 })], 0);
    const b = computeRefund(state, [{ lineId: "A", quantity: 1 }], "full_cancellation");
    // r = 2, k = 1: half of the remaining 200.00
    expect(b.lines[0]?.merchandise).toBe(10000);
  });

  it("counts shipped units in r, so their share is never refunded", () => {
    const state = order("USD", [line("A", 3, 10000, 3000, { shipped: 1 })], 1000);
    const b = computeRefund(state, [{ lineId: "A", quantity: 2 }], "full_cancellation");
    expect(b.lines[0]).toMatchObject({ merchandise: 19333, tax: 2000 });
    expect(b.totals.shipping).toBe(0);
  });

  it("adds lines of one selection together", () => {
    const b = computeRefund(exampleA(), [{ lineId: "B", quantity: 1 }, { lineId: "A", quantity: 3 }], "full_cancellation");
    expect(b.lines.map((l) => l.lineId)).toEqual(["A", "B"]);
    expect(b.totals).toEqual({ subtotal: 35000, discount: 3500, tax: 2599, shipping: 1000, shippingTax: 0, total: 35099 });
  });

  it("refunds shipping and its tax with the cancellation that cancels the last unit", () => {
    const state = { ...exampleA(), shippingTax: 80 };
    const b = computeRefund(state, [{ lineId: "A", quantity: 3 }, { lineId: "B", quantity: 1 }], "full_cancellation");
    expect([b.totals.shipping, b.totals.shippingTax, b.totals.total]).toEqual([1000, 80, 35179]);
  });

  it("never refunds shipping under policy 'never'", () => {
    const b = computeRefund(exampleA(), [{ lineId: "A", quantity: 3 }, { lineId: "B", quantity: 1 }], "never");
    expect([b.totals.shipping, b.totals.total]).toEqual([0, 34099]);
  });

  it("never refunds shipping when a unit has shipped or is released", () => {
    for (const over of [{ shipped: 1 }, { released: 1 }]) {
      const base = exampleA();
      const state = { ...base, lines: [base.lines[0]!, { ...base.lines[1]!, quantity: 2, ...over }] };
      const b = computeRefund(state, [{ lineId: "A", quantity: 3 }, { lineId: "B", quantity: 1 }], "full_cancellation");
      expect(b.totals.shipping).toBe(0);
    }
  });

  it("refunds only the shipping not yet refunded", () => {
    const state = { ...exampleA(), shippingRefunded: 400 };
    const b = computeRefund(state, [{ lineId: "A", quantity: 3 }, { lineId: "B", quantity: 1 }], "full_cancellation");
    expect(b.totals.shipping).toBe(600);
  });
});

describe("computeRefund refusals", () => {
  const state = exampleA();
  it.each([
    ["an empty selection", []],
    ["an unknown line", [{ lineId: "Z", quantity: 1 }]],
    ["a line twice", [{ lineId: "A", quantity: 1 }, { lineId: "A", quantity: 1 }]],
    ["zero units", [{ lineId: "A", quantity: 0 }]],
    ["negative units", [{ lineId: "A", quantity: -1 }]],
    ["fractional units", [{ lineId: "A", quantity: 1.5 }]],
    ["NaN units", [{ lineId: "A", quantity: Number.NaN }]],
  ])("refuses %s", (_, selection) => {
    expect(errorOf(() => computeRefund(state, selection, "full_cancellation")).code).toBe("VALIDATION_FAILED");
  });

  it("refuses more units than cancellable, with details", () => {
    const held = { ...state, lines: [{ ...state.lines[0]!, shipped: 1, pendingCancel: 1 }, state.lines[1]!] };
    const error = errorOf(() => computeRefund(held, [{ lineId: "A", quantity: 2 }], "full_cancellation"));
    expect(error.code).toBe("QUANTITY_EXCEEDS_CANCELLABLE");
    expect(error.details).toEqual({ lineId: "A", requested: 2, cancellable: 1 });
  });

  it("refuses a corrupt state instead of refunding a negative amount", () => {
    const bad = { ...state, lines: [{ ...state.lines[0]!, netRefunded: 27001 }, state.lines[1]!] };
    expect(errorOf(() => computeRefund(bad, [{ lineId: "A", quantity: 1 }], "never")).code).toBe("INTERNAL");
  });
});

describe("state transitions", () => {
  it("apply holds units and money; release restores the state exactly", () => {
    const state = exampleA();
    const b = computeRefund(state, [{ lineId: "A", quantity: 3 }, { lineId: "B", quantity: 1 }], "full_cancellation");
    const held = applyRefundToState(state, b);
    expect(held.lines.map((l) => [l.pendingCancel, l.netRefunded, l.taxRefunded])).toEqual([[3, 27000, 2228], [1, 4500, 371]]);
    expect(held.shippingRefunded).toBe(1000);
    expect(releaseRefundFromState(held, b)).toEqual(state);
    expect(state.lines[0]?.pendingCancel).toBe(0);
  });

  it("complete moves held units to cancelled", () => {
    const state = exampleA();
    const b = computeRefund(state, [{ lineId: "A", quantity: 2 }], "never");
    const done = completeRefundInState(applyRefundToState(state, b), b);
    expect(done.lines[0]).toMatchObject({ cancelled: 2, pendingCancel: 0, netRefunded: 18000 });
  });

  it("refuses to release or complete what is not held", () => {
    const state = exampleA();
    const b = computeRefund(state, [{ lineId: "A", quantity: 2 }], "never");
    expect(errorOf(() => releaseRefundFromState(state, b)).code).toBe("INVALID_STATE");
    expect(errorOf(() => completeRefundInState(state, b)).code).toBe("INVALID_STATE");
  });
});

describe("overrides (SPEC §5)", () => {
  it("refundShipping: the first cancellation of example A takes the 10.00 shipping the policy would leave", () => {
    const state = exampleA();
    const b = computeRefund(state, [{ lineId: "A", quantity: 2 }], "full_cancellation", { refundShipping: true });
    expect(b.totals).toEqual({ subtotal: 20000, discount: 2000, tax: 1485, shipping: 1000, shippingTax: 0, total: 20485 });
    expect(b.override).toEqual({ refundShipping: true, noRefund: false, shippingAdded: 1000, waived: 0, shippingWaived: 0, shippingTaxWaived: 0 });
    // Marked as refunded: the cancellation that completes the order later takes no shipping.
    let next = completeRefundInState(applyRefundToState(state, b), b);
    expect(next.shippingRefunded).toBe(1000);
    const rest = computeRefund(next, [{ lineId: "A", quantity: 1 }, { lineId: "B", quantity: 1 }], "full_cancellation");
    expect(rest.totals.shipping).toBe(0);
    next = completeRefundInState(applyRefundToState(next, rest), rest);
    expect(b.totals.total + rest.totals.total).toBe(usd("350.99"));
    // And asking for it again finds nothing to refund.
    const again = { ...state, shippingRefunded: 1000 };
    expect(errorOf(() => computeRefund(again, [{ lineId: "A", quantity: 1 }], "full_cancellation", { refundShipping: true })).code).toBe("OVERRIDE_NOT_APPLICABLE");
  });

  it("refundShipping where the policy would refund it anyway adds nothing; with policy never or after shipping it refunds it", () => {
    const all = [{ lineId: "A", quantity: 3 }, { lineId: "B", quantity: 1 }];
    const both = computeRefund(exampleA(), all, "full_cancellation", { refundShipping: true });
    expect([both.totals.shipping, both.override?.shippingAdded]).toEqual([1000, 0]);
    expect(computeRefund(exampleA(), all, "never", { refundShipping: true }).override?.shippingAdded).toBe(1000);
    const shipped = { ...exampleA(), shippingTax: 80, lines: exampleA().lines.map((l) => (l.lineId === "B" ? { ...l, shipped: 1 } : l)) };
    const b = computeRefund(shipped, [{ lineId: "A", quantity: 3 }], "full_cancellation", { refundShipping: true });
    expect([b.totals.shipping, b.totals.shippingTax, b.override?.shippingAdded]).toEqual([1000, 80, 1080]);
  });

  it("noRefund: refund 0, the units' share settled without refund, and the last units still take the exact remainder", () => {
    const state = exampleA();
    const b = computeRefund(state, [{ lineId: "A", quantity: 2 }], "full_cancellation", { noRefund: true });
    expect(b.lines).toEqual([{ lineId: "A", quantity: 2, subtotal: 20000, discount: 20000, merchandise: 0, tax: 0, total: 0, waivedMerchandise: 18000, waivedTax: 1485, fromWarehouse: 0 }]);
    expect(b.totals).toEqual({ subtotal: 20000, discount: 20000, tax: 0, shipping: 0, shippingTax: 0, total: 0 });
    expect(b.override).toMatchObject({ noRefund: true, waived: 19485 });
    const held = applyRefundToState(state, b);
    expect(held.lines[0]).toMatchObject({ pendingCancel: 2, netRefunded: 18000, taxRefunded: 1485 });
    expect(releaseRefundFromState(held, b)).toEqual(state);
    const after = completeRefundInState(held, b);
    const last = computeRefund(after, [{ lineId: "A", quantity: 1 }], "full_cancellation");
    expect(last.totals.total).toBe(9743);
    const b2 = computeRefund(completeRefundInState(applyRefundToState(after, last), last), [{ lineId: "B", quantity: 1 }], "full_cancellation");
    expect(b2.totals.total).toBe(5871);
  });

  it("noRefund on the cancellation that completes the order settles the shipping without refunding it", () => {
    const state = exampleA();
    const b = computeRefund(state, [{ lineId: "A", quantity: 3 }, { lineId: "B", quantity: 1 }], "full_cancellation", { noRefund: true });
    expect(b.totals.total).toBe(0);
    expect(b.override).toMatchObject({ waived: 35099, shippingWaived: 1000, shippingTaxWaived: 0 });
    expect(applyRefundToState(state, b).shippingRefunded).toBe(1000);
  });

  it("refuses both overrides at once", () => {
    expect(errorOf(() => computeRefund(exampleA(), [{ lineId: "A", quantity: 1 }], "never", { refundShipping: true, noRefund: true })).code).toBe("VALIDATION_FAILED");
  });
});
