import { formatAmount } from "@/server/domain/money";

export const DEFAULT_LOCALE = "en-US";

/**
 * Minor units in the customer's locale: 29738 EUR de-DE → "297,38 €". Intl gets the exact
 * decimal string, never a float.
 */
export function formatMoney(minor: number | bigint, currency: string, locale: string): string {
  const decimal = formatAmount(Number(minor), currency) as `${number}`;
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(decimal);
}

/** "ada@example.com" → "a•••@example.com": enough for an agent to recognise, not to read. */
export function maskRecipient(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/** A locale Intl knows, else the default (a stored tag from an older import may not be). */
export function usableLocale(tag: string | null | undefined): string {
  if (!tag) return DEFAULT_LOCALE;
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length ? Intl.getCanonicalLocales(tag)[0]! : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}
