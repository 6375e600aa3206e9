/** The header proxy.ts sets on every page request: its path and query, for the sign-in's way back. */
export const REQUEST_PATH_HEADER = "x-request-path";

/** Where a signed-in user lands when there is no deep link to return to: order search. */
export const HOME_PATH = "/orders";

/**
 * A path of this app to return to after signing in, or null: only a same-origin path (never
 * `//host`, `/\host` or a URL, which would make the sign-in page an open redirect), never the
 * sign-in page itself or an API route.
 */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value || value.length > 2000) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  if (/[\u0000-\u001f\\]/.test(value)) return null;
  const path = value.split(/[?#]/)[0]!;
  if (path === "/" || path === "/sign-in" || path.startsWith("/sign-in/") || path === "/api" || path.startsWith("/api/")) return null;
  return value;
}

export function signInHref(returnTo: string | null): string {
  const back = safeReturnPath(returnTo);
  return back ? `/sign-in?callbackUrl=${encodeURIComponent(back)}` : "/sign-in";
}
