// Inside the frame only /embed/** may load (everything else is frame-ancestors 'none'). Components
// shared with the full app may link to its routes; these are their embedded equivalents.
const ROUTES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^\/orders\/([^/]+)$/, (m) => `/embed/orders/${m[1]}`],
  [/^\/orders\/([^/]+)\/cancellations\/([^/]+)$/, (m) => `/embed/orders/${m[1]}/cancellations/${m[2]}`],
  [/^\/approvals$/, () => "/embed/approvals"],
  [/^\/approvals\/([^/]+)$/, (m) => `/embed/approvals/${m[1]}`],
];

/** The embedded route for a full-app path; null when there is none (it opens in a new tab instead). */
export function embeddedPathFor(pathname: string): string | null {
  for (const [pattern, to] of ROUTES) {
    const match = pathname.match(pattern);
    if (match) return to(match);
  }
  return null;
}
