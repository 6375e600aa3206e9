import { getServerSession } from "next-auth";
import { getDb } from "@/server/db/client";
import { resolveEmbedSession } from "./resolve-embed-session";
import { authenticateApiKey, parseBearer } from "./api-keys";
import { clientAddress } from "./client-address";
import { authOptions } from "./next-auth";
import { type Actor, type Role, storeFilterFor } from "./permissions";

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
  authorization?: string | null;
  /** For the embed session of CRM frames (server/embed): its cookie and the request's fetch metadata. */
  cookie?: string | null;
  fetchSite?: string | null;
  fetchMode?: string | null;
  origin?: string | null;
  host?: string | null;
}

export function requestMeta(headers: Headers): RequestMeta {
  return {
    ip: clientAddress(headers),
    userAgent: headers.get("user-agent") ?? undefined,
    authorization: headers.get("authorization"),
    cookie: headers.get("cookie"),
    fetchSite: headers.get("sec-fetch-site"),
    fetchMode: headers.get("sec-fetch-mode"),
    origin: headers.get("origin"),
    host: headers.get("host"),
  };
}

/**
 * The caller: an API key in `Authorization: Bearer …` wins; otherwise the
 * browser's session, and without one the embed session of a CRM frame. The
 * user is re-read so that a deactivated account or changed role takes effect at once.
 */
export async function resolveActor(meta: RequestMeta): Promise<Actor | null> {
  const db = getDb();
  const bearer = parseBearer(meta.authorization ?? null);
  if (bearer) return authenticateApiKey(db, bearer, meta);
  if (meta.authorization) return null;
  const session = await getServerSession(authOptions);
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return (await resolveEmbedSession(db, meta))?.actor ?? null;
  const user = await db.user.findUnique({ where: { id: userId }, include: { stores: true } });
  if (!user || !user.active) return null;
  return {
    kind: "user",
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    storeIds: storeFilterFor(user.role as Role, user.stores.map((s) => s.storeId)),
    scopes: null,
    ip: meta.ip,
    userAgent: meta.userAgent,
    channel: "web",
  };
}
