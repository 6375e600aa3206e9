const DECIMAL = /^-?\d+(\.\d+)?$/;
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string): Intl.NumberFormat {
  let f = formatters.get(currency);
  if (!f) {
    // One fixed locale: the server render and the browser must print the same text.
    f = new Intl.NumberFormat("en-US", { style: "currency", currency });
    formatters.set(currency, f);
  }
  return f;
}

/**
 * "194.85" + "USD" → "$194.85". The API's decimal string goes to Intl as a string, which
 * formats it as an exact decimal (Intl.NumberFormat v3), so no float ever touches the amount.
 */
export function formatMoney(amount: string, currency: string): string {
  if (!DECIMAL.test(amount)) return `${amount} ${currency}`;
  try {
    return formatter(currency).format(amount as Intl.StringNumericLiteral);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** "2026-11-28T20:35:37.000Z" → "Nov 28, 2026, 8:35 PM" (UTC, so server and browser agree). */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(date) + " UTC";
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(date);
}
