// Origins end up inside a Content-Security-Policy header and in postMessage
// target checks, so only the exact serialisation `scheme://host[:port]` is accepted.
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/** The canonical origin (`new URL().origin`) when `value` is exactly one, else null. */
export function normalizeOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || (url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) return null;
  if (value.replace(/\/$/, "").toLowerCase() !== url.origin) return null;
  return ORIGIN.test(url.origin) ? url.origin : null;
}

/** Plain http is for development hosts only (loopback); everything else must be https. */
export function isAllowedScheme(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === "https:" || ["localhost", "127.0.0.1"].includes(url.hostname);
}

/** The `frame-ancestors` source list for these origins; `'none'` when there are none. */
export function frameAncestorsValue(origins: readonly string[]): string {
  const valid = [...new Set(origins.map(normalizeOrigin).filter((o): o is string => o !== null))];
  return valid.length ? valid.join(" ") : "'none'";
}
