import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, HSTS, isHttps, PERMISSIONS_POLICY } from "@/server/api/security-headers";
import { getDb } from "@/server/db/client";
import { REQUEST_PATH_HEADER } from "@/server/auth/return-path";
import { EMBED_SESSION_COOKIE } from "@/server/auth/embed-session";
import { framingOrigin } from "@/server/embed/frame-ancestors";
import { frameAncestorsValue } from "@/server/embed/origins";

// Every page gets a fresh script nonce in its Content-Security-Policy: Next reads it from the
// request's CSP header and puts it on its own scripts. Embed pages may be framed only by origins
// an admin allowlisted (docs/embedding.md); the allowlist lives in the database, so their
// frame-ancestors is decided here per request; every other page is never framed.
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const path = request.nextUrl.pathname;
  const embed = path === "/embed" || path.startsWith("/embed/");
  const origin = embed ? await framingOrigin(getDb(), { sessionCookie: request.cookies.get(EMBED_SESSION_COOKIE)?.value, referer: request.headers.get("referer") }) : null;
  const https = isHttps(request.nextUrl, request.headers.get("x-forwarded-proto"));
  const csp = contentSecurityPolicy({ nonce, frameAncestors: frameAncestorsValue(origin ? [origin] : []), dev: process.env.NODE_ENV === "development", https });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // For the sign-in's way back to a deep link (server/auth/current-user.ts); never the client's own value.
  requestHeaders.set(REQUEST_PATH_HEADER, `${path}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("Permissions-Policy", PERMISSIONS_POLICY);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API routes answer JSON (next.config.js gives them a deny-all CSP), static files need none.
      source: "/((?!api/|_next/static|_next/image|favicon\\.ico|icon\\.svg|apple-icon\\.png|robots\\.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
