import { currencyExponent } from "./currency";
import { AppError, ErrorCode } from "./errors";

/*
 * Money is an integer count of minor units (cents, fils, yen) held in a JS number that must be a
 * safe integer. Products that could pass 2^53 are computed in BigInt. Floats never touch money.
 */

/**
 * The largest amount (minor units) and the largest unit count the system takes: 2^53 − 1
 * (9,007,199,254,740,991; USD 90,071,992,547,409.91). Each imported amount, each line's
 * unitPrice × quantity and the order total stay within it (README "Limits").
 */
export const MAX_MINOR_UNITS = Number.MAX_SAFE_INTEGER;
const MAX_SAFE = BigInt(MAX_MINOR_UNITS);
const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;

function invalidAmount(message: string, value: unknown, currency: string): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, message, { value, currency });
}

/**
 * Parses a decimal string in MAJOR units ("194.85", "1000", "0.5") into minor units.
 * Accepted: ASCII digits, optionally one "." followed by 1..exponent digits. Refused: sign,
 * exponent notation, whitespace, empty, ".5"/"5.", more decimals than the currency has (even
 * trailing zeros: "1.000" in USD is refused, as SPEC §3 says), and results above
 * Number.MAX_SAFE_INTEGER minor units.
 */
export function parseAmount(value: string, currency: string): number {
  const exponent = currencyExponent(currency);
  if (typeof value !== "string") {
    throw invalidAmount(`Amount must be a decimal string, got ${typeof value}`, value, currency);
  }
  if (value.startsWith("-")) {
    throw invalidAmount(`Amount "${value}" must not be negative`, value, currency);
  }
  const match = DECIMAL.exec(value);
  if (!match) {
    throw invalidAmount(
      `Amount "${value}" is not a plain decimal number of ${currency} (e.g. "194.85")`,
      value,
      currency,
    );
  }
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) {
    throw invalidAmount(
      `Amount "${value}" has ${fraction.length} decimals; ${currency} allows ${exponent}`,
      value,
      currency,
    );
  }
  const minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, "0") || "0");
  if (minor > MAX_SAFE) {
    throw invalidAmount(`Amount "${value}" is too large`, value, currency);
  }
  return Number(minor);
}

/** Minor units to a major-unit decimal string: 19485 USD → "194.85", 1064 JPY → "1064", 5 KWD → "0.005". */
export function formatAmount(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (!Number.isSafeInteger(minor)) {
    throw new AppError(ErrorCode.INTERNAL, `Amount ${minor} is not a safe integer of minor units`, {
      value: minor,
      currency,
    });
  }
  const sign = minor < 0 ? "-" : "";
  const digits = BigInt(Math.abs(minor)).toString();
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, "0");
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/**
 * round_half_up(numerator / denominator) for numerator ≥ 0 and denominator > 0: exact halves go
 * up (3/2 → 2, 5/2 → 3). Negative inputs are refused because "half up" is ambiguous for them and
 * no refund rule needs it.
 */
export function roundHalfUpDiv(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) {
    throw new AppError(ErrorCode.INTERNAL, "roundHalfUpDiv needs numerator ≥ 0 and denominator > 0", {
      numerator: numerator.toString(),
      denominator: denominator.toString(),
    });
  }
  return (2n * numerator + denominator) / (2n * denominator);
}

/** A BigInt result back to a number, refusing anything beyond the safe-integer range. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > MAX_SAFE || value < -MAX_SAFE) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `${what} is too large`, { value: value.toString() });
  }
  return Number(value);
}

function assertNonNegativeSafe(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `${what} must be a non-negative integer`, { value });
  }
}

/**
 * Splits `total` minor units into integer parts proportional to `weights` (largest-remainder
 * method): each part gets floor(total × w / Σw), then the units left over go one each to the
 * largest remainders; equal remainders go to the EARLIER index. The parts always sum to `total`.
 * All weights zero: split as if the weights were equal. `total` 0: all zeros. No weights: only
 * a zero total can be split (into nothing).
 */
export function allocateLargestRemainder(total: number, weights: number[]): number[] {
  assertNonNegativeSafe(total, "Amount to allocate");
  weights.forEach((w, i) => assertNonNegativeSafe(w, `Weight ${i}`));
  if (weights.length === 0) {
    if (total === 0) return [];
    throw new AppError(ErrorCode.VALIDATION_FAILED, "Cannot allocate a non-zero amount over no weights", {
      total,
    });
  }
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  const big = sum === 0n ? weights.map(() => 1n) : weights.map((w) => BigInt(w));
  const denominator = sum === 0n ? BigInt(weights.length) : sum;
  const T = BigInt(total);
  const floors = big.map((w) => (T * w) / denominator);
  const remainders = big.map((w) => (T * w) % denominator);
  let leftover = T - floors.reduce((s, f) => s + f, 0n);
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (leftover === 0n) break;
    floors[index] = (floors[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return floors.map(Number);
}

/**
 * numerator / denominator minor units as a major-unit decimal, for showing the value a rounding
 * started from: a whole number of minor units exactly ("180.00", exact), otherwise cut (not
 * rounded) `extraDigits` decimals past the currency's ("14.853" for 4456 / 3 cents, not exact).
 * Display only: no refund rule uses it.
 */
export function exactQuotient(numerator: bigint, denominator: bigint, exponent: number, extraDigits = 1): { major: string; exact: boolean } {
  if (numerator < 0n || denominator <= 0n) {
    throw new AppError(ErrorCode.INTERNAL, "exactQuotient needs numerator ≥ 0 and denominator > 0", {
      numerator: numerator.toString(),
      denominator: denominator.toString(),
    });
  }
  const exact = numerator % denominator === 0n;
  const decimals = exact ? exponent : exponent + extraDigits;
  const scaled = exact ? numerator / denominator : (numerator * 10n ** BigInt(extraDigits)) / denominator;
  const digits = scaled.toString().padStart(decimals + 1, "0");
  const major = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return { major, exact };
}
