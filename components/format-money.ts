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

const zoned = new Map<string, Intl.DateTimeFormat>();

type InstantStyle = "short" | "exact" | "date";

const STYLES: Record<InstantStyle, Intl.DateTimeFormatOptions> = {
  short: { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" },
  exact: { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit", weekday: "short", timeZoneName: "long" },
  date: { year: "numeric", month: "short", day: "numeric" },
};

function zonedFormatter(timeZone: string, style: InstantStyle): Intl.DateTimeFormat {
  const key = `${timeZone}|${style}`;
  let f = zoned.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { ...STYLES[style], timeZone });
    zoned.set(key, f);
  }
  return f;
}

/**
 * An instant in the viewer's time zone, the zone shown: "Dec 1, 2026, 3:05 PM GMT+1"; `exact`
 * (for the hover) adds the weekday, the seconds and the zone's full name; `date` is the day in
 * that zone ("Dec 1, 2026"), for a column of dates whose exact time is on hover.
 */
export function formatInstant(iso: string, timeZone: string, exact: boolean | InstantStyle = false): string {
  const style: InstantStyle = exact === true ? "exact" : exact === false ? "short" : exact;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return zonedFormatter(timeZone, style).format(date);
  } catch {
    return zonedFormatter("UTC", style).format(date);
  }
}
