import { requestMeta } from "@/server/auth/session-actor";
import { getDb } from "@/server/db/client";
import { EMBED_SESSION_COOKIE } from "@/server/auth/embed-session";
import { exchangeEmbedToken } from "@/server/embed/exchange-embed-token";
import { requestOriginOf, safeEmbedPath } from "@/server/embed/embed-paths";

export const dynamic = "force-dynamic";

// The token is in the URL (GET) or the body (POST from the CRM page): never cached. The redirected
// request keeps the CRM page as its referrer (never this URL); its origin is what the next page's
// frame-ancestors allows when there is no session (proxy.ts), so it must survive the redirect.
const NO_STORE = { "Cache-Control": "no-store", "Referrer-Policy": "strict-origin" };

async function start(req: Request, token: string | null, next: string | null) {
  const meta = requestMeta(req.headers);
  const result = await exchangeEmbedToken({ db: getDb() }, { token: token ?? "", requestOrigin: requestOriginOf(req.headers), ip: meta.ip, userAgent: meta.userAgent });
  if (!result.ok) {
    return new Response(null, { status: 303, headers: { ...NO_STORE, Location: `/embed/refused?reason=${result.reason}` } });
  }
  const cookie = [
    `${EMBED_SESSION_COOKIE}=${result.cookie}`,
    "Path=/",
    `Max-Age=${result.maxAgeS}`,
    "HttpOnly",
    "Secure",
    "SameSite=None",
    "Partitioned",
  ].join("; ");
  return new Response(null, { status: 303, headers: { ...NO_STORE, Location: safeEmbedPath(next), "Set-Cookie": cookie } });
}

export async function GET(req: Request) {
  const url = new URL(req.url);
  return start(req, url.searchParams.get("token"), url.searchParams.get("next"));
}

export async function POST(req: Request) {
  const form = await req.formData().catch(() => null);
  const value = (name: string) => {
    const v = form?.get(name);
    return typeof v === "string" ? v : null;
  };
  return start(req, value("token"), value("next"));
}
