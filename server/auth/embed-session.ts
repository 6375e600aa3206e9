import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ROLES } from "./permissions";
import { embedSessionKey } from "./embed-keys";

/**
 * The embed session cookie. `__Host-` keeps it on this host and path `/`; it is sent from a
 * third-party frame only because it is `SameSite=None; Secure; Partitioned`, and being
 * partitioned, only inside frames whose top-level site is the one it was set under.
 */
export const EMBED_SESSION_COOKIE = "__Host-pc-embed";
/** Absolute lifetime; the CRM mints a new token when the frame reports `SESSION_EXPIRED`. */
export const EMBED_SESSION_TTL_S = 60 * 60;

const ZEmbedSessionSchema = z.object({
  v: z.literal(1),
  sid: z.string(),
  uid: z.string(),
  cid: z.string(),
  origin: z.string(),
  role: z.enum(ROLES),
  /** The stores the CRM narrowed the session to; null: the user's own. */
  stores: z.array(z.string()).nullable(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type EmbedSession = z.infer<typeof ZEmbedSessionSchema>;

function mac(body: string, key: Buffer): Buffer {
  return createHmac("sha256", key).update(body).digest();
}

export function newEmbedSession(fields: Omit<EmbedSession, "v" | "sid" | "iat" | "exp">, now: Date): EmbedSession {
  const iat = Math.floor(now.getTime() / 1000);
  return { v: 1, sid: randomUUID(), ...fields, iat, exp: iat + EMBED_SESSION_TTL_S };
}

export function signEmbedSession(session: EmbedSession, key = embedSessionKey()): string {
  const body = Buffer.from(JSON.stringify(session)).toString("base64url");
  return `${body}.${mac(body, key).toString("base64url")}`;
}

/** The session, or null when the cookie is absent, tampered with, or expired. */
export function readEmbedSession(value: string | null | undefined, now: Date, key = embedSessionKey()): EmbedSession | null {
  if (!value || value.length > 4096) return null;
  const [body, signature, extra] = value.split(".");
  if (!body || !signature || extra !== undefined) return null;
  const expected = mac(body, key);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let parsed;
  try {
    parsed = ZEmbedSessionSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  } catch {
    return null;
  }
  if (!parsed.success || parsed.data.exp <= Math.floor(now.getTime() / 1000)) return null;
  return parsed.data;
}

/** One cookie's value out of a `Cookie` request header. */
export function cookieFromHeader(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface EmbedRequestInfo {
  fetchSite?: string | null;
  fetchMode?: string | null;
  origin?: string | null;
  host?: string | null;
}

/**
 * CSRF defence in depth. Partitioning already keeps the cookie out of other sites' pages,
 * but a browser that ignores `Partitioned` would send a `SameSite=None` cookie along with
 * any site's request. So the embed session counts only for requests from its own frame
 * (same-origin fetches) and for GET navigations of the frame (page loads, which only read).
 * Browsers send `Origin` with every non-GET request, so a cross-site navigation that carries
 * one is a form POST and is refused.
 */
export function isEmbedRequestAllowed(info: EmbedRequestInfo): boolean {
  if (info.fetchSite === "same-origin") return true;
  if (info.fetchSite) return info.fetchMode === "navigate" && !info.origin;
  if (!info.origin) return true;
  try {
    return new URL(info.origin).host === info.host;
  } catch {
    return false;
  }
}
