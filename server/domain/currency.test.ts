import { describe, expect, it } from "vitest";
import { currencyExponent, isKnownCurrency, knownCurrencies } from "./currency";
import { AppError } from "./errors";

describe("currencyExponent", () => {
  it.each([
    ["USD", 2], ["EUR", 2], ["GBP", 2], ["CAD", 2], ["AUD", 2], ["CHF", 2], ["INR", 2],
    ["JPY", 0], ["KRW", 0], ["ISK", 0], ["VND", 0], ["CLP", 0], ["PYG", 0], ["UGX", 0],
    ["XAF", 0], ["XOF", 0], ["XPF", 0], ["BIF", 0], ["DJF", 0], ["GNF", 0], ["KMF", 0],
    ["RWF", 0], ["VUV", 0], ["UYI", 0],
    ["KWD", 3], ["BHD", 3], ["TND", 3], ["OMR", 3], ["JOD", 3], ["IQD", 3], ["LYD", 3],
    ["CLF", 4], ["UYW", 4],
  ])("%s has %i decimals", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it.each(["XYZ", "usd", "", "US", "USDD", "XAU", "XXX", "XTS"])("refuses %j", (code) => {
    expect(isKnownCurrency(code)).toBe(false);
    expect(() => currencyExponent(code)).toThrowError(AppError);
    try {
      currencyExponent(code);
    } catch (e) {
      expect((e as AppError).code).toBe("VALIDATION_FAILED");
      expect((e as AppError).details).toEqual({ currency: code });
    }
  });

  it("knows every active currency, each once", () => {
    const codes = knownCurrencies();
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThanOrEqual(150);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{3}$/);
  });
});
