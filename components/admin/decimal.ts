/** "650.00" × 10 → "6500.00", on the digits (no floats); null when the amount is not a plain decimal. */
export function multiplyDecimal(amount: string, factor: number): string | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match || !Number.isSafeInteger(factor) || factor <= 0) return null;
  const fraction = match[2] ?? "";
  const digits = (BigInt(`${match[1]}${fraction}`) * BigInt(factor)).toString().padStart(fraction.length + 1, "0");
  return fraction ? `${digits.slice(0, -fraction.length)}.${digits.slice(-fraction.length)}` : digits;
}
