import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent } from "./currency";
import { AppError } from "./errors";
import { allocateLargestRemainder, formatAmount, parseAmount, roundHalfUpDiv } from "./money";

const RUNS = { numRuns: 1000 };
const CURRENCIES = ["JPY", "USD", "KWD", "CLF", "EUR", "BHD", "KRW"] as const;

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

describe("parseAmount", () => {
  it.each([
    ["194.85", "USD", 19485],
    ["1000", "USD", 100000],
    ["0.5", "USD", 50],
    ["0", "USD", 0],
    ["0.00", "EUR", 0],
    ["1064", "JPY", 1064],
    ["0.005", "KWD", 5],
    ["12.5", "KWD", 12500],
    ["1.2345", "CLF", 12345],
    ["007.10", "USD", 710],
    ["90071992547409.91", "USD", Number.MAX_SAFE_INTEGER],
  ])("%s %s → %i", (value, currency, minor) => {
    expect(parseAmount(value, currency)).toBe(minor);
  });

  it.each([
    ["-1.00", "USD"], ["-0", "USD"], ["+1", "USD"], ["1e3", "USD"], ["1E2", "JPY"], [" 1.00", "USD"],
    ["1.00 ", "USD"], ["1 000", "USD"], ["", "USD"], ["abc", "USD"], [".5", "USD"], ["5.", "USD"],
    ["1,00", "EUR"], ["0x10", "USD"], ["Infinity", "USD"], ["NaN", "USD"], ["１２", "USD"],
    ["1.001", "USD"], ["1.000", "USD"], ["100.5", "JPY"], ["100.0", "JPY"], ["1.2345", "KWD"],
    ["90071992547409.92", "USD"], ["99999999999999999999", "JPY"],
  ])("refuses %j in %s with details", (value, currency) => {
    const error = appErrorOf(() => parseAmount(value, currency));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details).toEqual({ value, currency });
    expect(error.message.length).toBeGreaterThan(10);
  });

  it("says how many decimals the currency allows", () => {
    expect(appErrorOf(() => parseAmount("1.5", "JPY")).message).toMatch(/JPY allows 0/);
    expect(appErrorOf(() => parseAmount("1.2345", "KWD")).message).toMatch(/KWD allows 3/);
  });

  it("refuses an unknown currency", () => {
    expect(appErrorOf(() => parseAmount("1.00", "ABC")).code).toBe("VALIDATION_FAILED");
  });

  it("refuses values that are not strings", () => {
    expect(appErrorOf(() => parseAmount(12 as unknown as string, "USD")).code).toBe("VALIDATION_FAILED");
  });

  it("refuses more decimals than the currency allows (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 9 }),
        (currency, whole, extra, lastDigit) => {
          const decimals = "0".repeat(currencyExponent(currency) + extra - 1) + String(lastDigit);
          expect(() => parseAmount(`${whole}.${decimals}`, currency)).toThrowError(/allows/);
        },
      ),
      RUNS,
    );
  });
});

describe("formatAmount", () => {
  it.each([
    [19485, "USD", "194.85"], [1064, "JPY", "1064"], [5, "KWD", "0.005"], [0, "USD", "0.00"],
    [7, "USD", "0.07"], [-19485, "USD", "-194.85"], [-5, "KWD", "-0.005"], [-3, "JPY", "-3"],
    [12345, "CLF", "1.2345"], [Number.MAX_SAFE_INTEGER, "USD", "90071992547409.91"], [-0, "USD", "0.00"],
  ])("%i %s → %s", (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it("refuses non-integers", () => {
    expect(appErrorOf(() => formatAmount(1.5, "USD")).code).toBe("INTERNAL");
    expect(appErrorOf(() => formatAmount(Number.MAX_SAFE_INTEGER + 1, "USD")).code).toBe("INTERNAL");
  });

  it("round-trips with parseAmount (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CURRENCIES), fc.maxSafeNat(), (currency, minor) => {
        const text = formatAmount(minor, currency);
        expect(parseAmount(text, currency)).toBe(minor);
        expect(formatAmount(-minor, currency)).toBe(minor === 0 ? text : `-${text}`);
      }),
      RUNS,
    );
  });
});

describe("roundHalfUpDiv", () => {
  it.each([
    [0n, 3n, 0n], [1n, 3n, 0n], [2n, 3n, 1n], [3n, 2n, 2n], [5n, 2n, 3n], [1933n, 2n, 967n],
    [4456n, 3n, 1485n], [7n, 7n, 1n], [10n ** 30n + 1n, 2n, 5n * 10n ** 29n + 1n],
  ])("%s / %s → %s", (n, d, q) => {
    expect(roundHalfUpDiv(n, d)).toBe(q);
  });

  it("refuses negative numerators and non-positive denominators", () => {
    expect(() => roundHalfUpDiv(-1n, 2n)).toThrowError(AppError);
    expect(() => roundHalfUpDiv(1n, 0n)).toThrowError(AppError);
  });

  it("is the nearest integer with halves going up (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 80n }), fc.bigInt({ min: 1n, max: 2n ** 40n }), (n, d) => {
        const q = roundHalfUpDiv(n, d);
        // q = floor(n/d + 1/2)  ⇔  2qd ≤ 2n + d < 2qd + 2d
        expect(2n * q * d <= 2n * n + d).toBe(true);
        expect(2n * n + d < 2n * q * d + 2n * d).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("allocateLargestRemainder", () => {
  it("splits SPEC example C with the tie going to the first line", () => {
    expect(allocateLargestRemainder(1000, [1000, 1000, 1000])).toEqual([334, 333, 333]);
  });

  it("gives leftover units to the largest remainders first", () => {
    expect(allocateLargestRemainder(1, [1, 3])).toEqual([0, 1]);
    expect(allocateLargestRemainder(2, [1, 2, 1])).toEqual([1, 1, 0]);
    expect(allocateLargestRemainder(10, [3, 3, 4])).toEqual([3, 3, 4]);
    expect(allocateLargestRemainder(3500, [30000, 5000])).toEqual([3000, 500]);
  });

  it("splits evenly when every weight is zero, and gives zeros for a zero total", () => {
    expect(allocateLargestRemainder(5, [0, 0, 0])).toEqual([2, 2, 1]);
    expect(allocateLargestRemainder(0, [4, 0, 9])).toEqual([0, 0, 0]);
    expect(allocateLargestRemainder(7, [0, 5, 0])).toEqual([0, 7, 0]);
    expect(allocateLargestRemainder(0, [])).toEqual([]);
  });

  it("refuses bad input", () => {
    expect(() => allocateLargestRemainder(1, [])).toThrowError(AppError);
    expect(() => allocateLargestRemainder(-1, [1])).toThrowError(AppError);
    expect(() => allocateLargestRemainder(1, [1, -2])).toThrowError(AppError);
    expect(() => allocateLargestRemainder(1.5, [1])).toThrowError(AppError);
  });

  const weightsArb = fc.array(fc.maxSafeNat(), { minLength: 1, maxLength: 12 });

  it("sums exactly to the total and keeps every part within one unit of its share (property)", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), weightsArb, (total, weights) => {
        const parts = allocateLargestRemainder(total, weights);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((s, p) => s + BigInt(p), 0n)).toBe(BigInt(total));
        const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
        if (sum === 0n) return;
        parts.forEach((p, i) => {
          const exact = BigInt(total) * BigInt(weights[i] ?? 0);
          const floor = exact / sum;
          expect(BigInt(p) === floor || BigInt(p) === floor + 1n).toBe(true);
          expect(Number.isSafeInteger(p)).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it("gives ties to the earlier index (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 20 }),
        (total, weight, count) => {
          const parts = allocateLargestRemainder(total, Array<number>(count).fill(weight));
          const base = Math.floor(total / count);
          const extra = total % count;
          parts.forEach((p, i) => expect(p).toBe(i < extra ? base + 1 : base));
        },
      ),
      RUNS,
    );
  });
});
