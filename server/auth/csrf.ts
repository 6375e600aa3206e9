import { getConfig } from "@/server/config";
import { AppError, ErrorCode } from "@/server/domain/errors";

/** What a write's CSRF check reads from the request. */
export interface WriteOrigin {
  method: string;
  origin: string | null;
  fetchSite: string | null;
  host: string | null;
  contentType: string | null;
}

export function writeOriginOf(req: Request): WriteOrigin {
  return {
    method: req.method,
    origin: req.headers.get("origin"),
    fetchSite: req.headers.get("sec-fetch-site"),
    host: req.headers.get("host") ?? new URL(req.url).host,
    contentType: req.headers.get("content-type"),
  };
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

function appOrigins(host: string | null): string[] {
  const origins = [...getConfig().appOrigins];
  if (host) origins.push(`http://${host}`, `https://${host}`);
  return origins;
}

/**
 * SPEC §7: a write authenticated by a cookie (next-auth session or embed session) must come
 * from the app's own pages. Browsers send `Sec-Fetch-Site` (all current ones) and `Origin`
 * (every non-GET fetch or form) and a page cannot forge either; a form or `text/plain` fetch
 * from another site cannot send `application/json` without a CORS preflight, which we never
 * answer. So: JSON, and same-origin by Sec-Fetch-Site, or by Origin where the browser sends
 * no fetch metadata. A cookie-carrying write with neither header is refused too: it did not
 * come from our pages. API keys are not cookies and are not checked.
 */
export function assertSameOriginWrite(req: WriteOrigin): void {
  if (READS.has(req.method.toUpperCase())) return;
  const reject = (why: string) => new AppError(ErrorCode.CSRF_REJECTED, `Cross-site request refused: ${why}.`);
  const mediaType = req.contentType?.split(";", 1)[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") throw reject("a write signed in by cookie must send Content-Type: application/json");
  if (req.fetchSite) {
    if (req.fetchSite !== "same-origin") throw reject(`Sec-Fetch-Site is ${req.fetchSite}`);
    return;
  }
  if (!req.origin) throw reject("a write signed in by cookie must come from the app's own pages (no Origin)");
  if (!appOrigins(req.host).includes(req.origin)) throw reject(`Origin ${req.origin} is not this app`);
}
