import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/server/db/client";
import { EMBED_SESSION_COOKIE } from "@/server/embed/embed-session";
import { framingOrigin } from "@/server/embed/frame-ancestors";
import { frameAncestorsValue } from "@/server/embed/origins";

// Embed pages may be framed only by origins an admin allowlisted (docs/embedding.md). The
// allowlist lives in the database, so the header is set per request here; next.config.js
// keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY` on every other route.
export async function proxy(request: NextRequest) {
  const origin = await framingOrigin(getDb(), { sessionCookie: request.cookies.get(EMBED_SESSION_COOKIE)?.value, referer: request.headers.get("referer") });
  const response = NextResponse.next();
  response.headers.set("Content-Security-Policy", `frame-ancestors ${frameAncestorsValue(origin ? [origin] : [])}`);
  return response;
}

export const config = { matcher: ["/embed", "/embed/:path*"] };
