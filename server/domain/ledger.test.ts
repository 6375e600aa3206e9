import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { applyLedgerChange, creditAccount } from "./ledger";

describe("ledger credits (property)", () => {
  it("the balance is exactly the sum of the credits, whatever their order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000_00 }), { maxLength: 30 }), (amounts) => {
        const balance = amounts.reduce((b, a) => applyLedgerChange(b, creditAccount(a)), 0);
        expect(balance).toBe(amounts.reduce((s, a) => s + a, 0));
        expect([...amounts].reverse().reduce((b, a) => applyLedgerChange(b, creditAccount(a)), 0)).toBe(balance);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses a negative, fractional or unsafe credit", () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) expect(() => creditAccount(bad)).toThrow(AppError);
    expect(() => applyLedgerChange(0, { balance: -1 })).toThrow(AppError);
  });
});
