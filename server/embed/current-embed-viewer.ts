import { headers } from "next/headers";
import { requestMeta } from "@/server/auth/session-actor";
import { getDb } from "@/server/db/client";
import { cookieFromHeader, EMBED_SESSION_COOKIE } from "@/server/auth/embed-session";
import { framingOrigin } from "./frame-ancestors";
import { type EmbedViewer, resolveEmbedSession } from "@/server/auth/resolve-embed-session";

/** For embed pages (server components): the frame's signed-in user, or null. */
export async function currentEmbedViewer(): Promise<EmbedViewer | null> {
  const meta = requestMeta(await headers());
  return resolveEmbedSession(getDb(), meta);
}

/** Where a page without a session may send its `error` message: the origin allowed to frame it, if any. */
export async function embedHostOrigins(): Promise<string[]> {
  const h = await headers();
  const origin = await framingOrigin(getDb(), { sessionCookie: cookieFromHeader(h.get("cookie"), EMBED_SESSION_COOKIE), referer: h.get("referer") });
  return origin ? [origin] : [];
}
