import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocateRefund,
  applyAllocationHeld,
  refundableAmount,
  releaseAllocationHeld,
  reversibleAmount,
  type RefundMethod,
  type TenderMethod,
  type TenderState,
} from "./allocation";
import { AppError } from "./errors";

const RUNS = { numRuns: 1000 };

function tender(tenderId: string, method: TenderMethod, authorized: number, captured: number, over: Partial<TenderState> = {}): TenderState {
  const provider = method === "card" ? "stripe" : method === "paypal" ? "paypal" : "internal";
  return { tenderId, method, provider, authorized, captured, reversed: 0, refunded: 0, reversalHeld: 0, refundHeld: 0, ...over };
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

const mixed = () => [
  tender("GC", "gift_card", 5000, 5000),
  tender("SC", "store_credit", 2000, 2000),
  tender("CARD", "card", 10000, 6000),
  tender("PP", "paypal", 3000, 3000),
];

describe("reversible and refundable amounts", () => {
  it("subtract what is done and what is held", () => {
    const t = tender("T", "card", 10000, 4000, { reversed: 1000, reversalHeld: 500, refunded: 700, refundHeld: 300 });
    expect(reversibleAmount(t)).toBe(4500);
    expect(refundableAmount(t)).toBe(3000);
  });
});

describe("allocateRefund", () => {
  it("reverses the uncaptured card authorisation of the SPEC preview", () => {
    const tenders = [tender("T1", "card", 30099, 0), tender("T2", "gift_card", 5000, 5000)];
    expect(allocateRefund(19485, tenders, "original")).toEqual([{ tenderId: "T1", operation: "reversal", amount: 19485 }]);
  });

  it("reverses first, then refunds cards and PayPal, then gift cards, then store credit", () => {
    expect(allocateRefund(20000, mixed(), "original")).toEqual([
      { tenderId: "CARD", operation: "reversal", amount: 4000 },
      { tenderId: "CARD", operation: "refund", amount: 6000 },
      { tenderId: "PP", operation: "refund", amount: 3000 },
      { tenderId: "GC", operation: "refund", amount: 5000 },
      { tenderId: "SC", operation: "refund", amount: 2000 },
    ]);
    expect(allocateRefund(12000, mixed(), "original")).toEqual([
      { tenderId: "CARD", operation: "reversal", amount: 4000 },
      { tenderId: "CARD", operation: "refund", amount: 6000 },
      { tenderId: "PP", operation: "refund", amount: 2000 },
    ]);
  });

  it("turns the refund part into store credit, and still reverses first", () => {
    expect(allocateRefund(15000, mixed(), "store_credit")).toEqual([
      { tenderId: "CARD", operation: "reversal", amount: 4000 },
      { tenderId: "CARD", operation: "store_credit", amount: 6000 },
      { tenderId: "PP", operation: "store_credit", amount: 3000 },
      { tenderId: "GC", operation: "store_credit", amount: 2000 },
    ]);
  });

  it("turns the refund part into manual tasks, and still reverses first", () => {
    expect(allocateRefund(5000, mixed(), "manual")).toEqual([
      { tenderId: "CARD", operation: "reversal", amount: 4000 },
      { tenderId: "CARD", operation: "manual", amount: 1000 },
    ]);
  });

  it("takes held amounts into account", () => {
    const tenders = [tender("T1", "card", 10000, 2000, { reversalHeld: 7000, refundHeld: 2000 }), tender("T2", "paypal", 500, 0)];
    expect(allocateRefund(1500, tenders, "original")).toEqual([
      { tenderId: "T1", operation: "reversal", amount: 1000 },
      { tenderId: "T2", operation: "reversal", amount: 500 },
    ]);
  });

  it("returns nothing for a zero total", () => {
    expect(allocateRefund(0, mixed(), "original")).toEqual([]);
  });

  it("refuses what the tenders cannot cover, with details", () => {
    const error = errorOf(() => allocateRefund(20001, mixed(), "original"));
    expect(error.code).toBe("INSUFFICIENT_REFUNDABLE");
    expect(error.details).toEqual({ requested: 20001, available: 20000 });
    expect(errorOf(() => allocateRefund(1, [], "manual")).code).toBe("INSUFFICIENT_REFUNDABLE");
  });

  it("refuses bad totals and methods", () => {
    expect(errorOf(() => allocateRefund(-1, mixed(), "original")).code).toBe("VALIDATION_FAILED");
    expect(errorOf(() => allocateRefund(1.5, mixed(), "original")).code).toBe("VALIDATION_FAILED");
    expect(errorOf(() => allocateRefund(1, mixed(), "cash" as RefundMethod)).code).toBe("VALIDATION_FAILED");
  });
});

describe("held allocations", () => {
  it("apply holds reversal and refund amounts; release gives them back; inputs untouched", () => {
    const tenders = mixed();
    const allocation = allocateRefund(12000, tenders, "original");
    const held = applyAllocationHeld(tenders, allocation);
    expect(held.find((t) => t.tenderId === "CARD")).toMatchObject({ reversalHeld: 4000, refundHeld: 6000 });
    expect(held.find((t) => t.tenderId === "PP")).toMatchObject({ reversalHeld: 0, refundHeld: 2000 });
    expect(tenders).toEqual(mixed());
    expect(releaseAllocationHeld(held, allocation)).toEqual(tenders);
    expect(errorOf(() => releaseAllocationHeld(tenders, allocation)).code).toBe("INVALID_STATE");
    expect(errorOf(() => applyAllocationHeld(tenders, [{ tenderId: "X", operation: "refund", amount: 1 }])).code).toBe("VALIDATION_FAILED");
  });
});

const tenderArb = fc
  .record({
    method: fc.constantFrom<TenderMethod>("card", "paypal", "gift_card", "store_credit"),
    authorized: fc.integer({ min: 0, max: 1_000_000 }),
    capturedPct: fc.integer({ min: 0, max: 100 }),
  })
  .map(({ method, authorized, capturedPct }) => ({ method, authorized, captured: Math.floor((authorized * capturedPct) / 100) }));

const tendersArb = fc
  .array(tenderArb, { minLength: 0, maxLength: 5 })
  .map((ts) => ts.map((t, i) => tender(`T${i}`, t.method, t.authorized, t.captured)));

const methodArb = fc.constantFrom<RefundMethod>("original", "store_credit", "manual");

describe("allocateRefund (property)", () => {
  it("sums to the whole, or refuses exactly when the tenders cannot cover it", () => {
    fc.assert(
      fc.property(tendersArb, fc.integer({ min: 0, max: 3_000_000 }), methodArb, (tenders, total, method) => {
        const available = tenders.reduce((s, t) => s + reversibleAmount(t) + refundableAmount(t), 0);
        if (total > available) {
          expect(errorOf(() => allocateRefund(total, tenders, method)).code).toBe("INSUFFICIENT_REFUNDABLE");
          return;
        }
        const entries = allocateRefund(total, tenders, method);
        expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(total);
        expect(entries.every((e) => e.amount > 0 && Number.isSafeInteger(e.amount))).toBe(true);
        const reversals = entries.filter((e) => e.operation === "reversal");
        const others = entries.filter((e) => e.operation !== "reversal");
        expect(entries.slice(0, reversals.length)).toEqual(reversals);
        if (others.length > 0) {
          // Captured money is touched only once every authorisation has been released.
          expect(reversals.reduce((s, e) => s + e.amount, 0)).toBe(tenders.reduce((s, t) => s + reversibleAmount(t), 0));
        }
        const expectedOp = method === "original" ? "refund" : method;
        expect(others.every((e) => e.operation === expectedOp)).toBe(true);
        const rank = (id: string) => ({ card: 0, paypal: 0, gift_card: 1, store_credit: 2 })[tenders.find((t) => t.tenderId === id)!.method];
        const ranks = others.map((e) => rank(e.tenderId));
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      }),
      RUNS,
    );
  });

  it("never lets any tender's reversals or refunds (done + held) pass what it has", () => {
    fc.assert(
      fc.property(tendersArb, fc.array(fc.tuple(fc.integer({ min: 0, max: 800_000 }), methodArb), { maxLength: 6 }), (start, requests) => {
        let tenders = start;
        for (const [total, method] of requests) {
          let allocation;
          try {
            allocation = allocateRefund(total, tenders, method);
          } catch (e) {
            expect((e as AppError).code).toBe("INSUFFICIENT_REFUNDABLE");
            continue;
          }
          tenders = applyAllocationHeld(tenders, allocation);
          for (const t of tenders) {
            expect(t.reversed + t.reversalHeld).toBeLessThanOrEqual(t.authorized - t.captured);
            expect(t.refunded + t.refundHeld).toBeLessThanOrEqual(t.captured);
          }
        }
      }),
      RUNS,
    );
  });
});
