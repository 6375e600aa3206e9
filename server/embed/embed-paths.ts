// Where the token exchange may send the frame: an embed page of this app, nothing else
// (an open redirect would hand the fresh session's first page to anyone's URL).
const EMBED_PATH = /^\/embed(?:\/(?:orders\/[A-Za-z0-9-]{1,64}(?:\/cancellations\/[A-Za-z0-9-]{1,64})?|approvals(?:\/[A-Za-z0-9-]{1,64})?))?$/;

export function safeEmbedPath(next: string | null | undefined): string {
  return next && EMBED_PATH.test(next) ? next : "/embed";
}

/** The origin the browser says a request came from: `Origin`, else the `Referer`'s; null if neither says. */
export function requestOriginOf(headers: Headers): string | null {
  const origin = headers.get("origin");
  if (origin && origin !== "null") return origin;
  const referer = headers.get("referer");
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}
