import { type Actor, isActivePerson, type Role, storeFilterFor } from "./permissions";
import type { Db } from "@/server/db/client";
import { cookieFromHeader, EMBED_SESSION_COOKIE, type EmbedRequestInfo, type EmbedSession, isEmbedRequestAllowed, readEmbedSession } from "./embed-session";

export interface EmbedRequestMeta extends EmbedRequestInfo {
  cookie?: string | null;
  ip?: string;
  userAgent?: string;
}

export interface EmbedViewer {
  actor: Actor;
  session: EmbedSession;
  /** The CRM page that frames us: the only target of our postMessages. */
  hostOrigin: string;
}

/** The stores an embed session may see: the user's own, narrowed by the CRM when it said so. */
export function embedStoreFilter(role: Role, assigned: string[], narrowedTo: string[] | null): string[] | null {
  const own = storeFilterFor(role, assigned);
  if (narrowedTo === null) return own;
  return own === null ? narrowedTo : own.filter((s) => narrowedTo.includes(s));
}

/**
 * The signed-in user of an embed frame, or null. Like the next-auth session, everything is
 * re-read: a deactivated user or CRM, a removed origin or a changed role end the session at once.
 */
export async function resolveEmbedSession(db: Db, meta: EmbedRequestMeta, now = new Date()): Promise<EmbedViewer | null> {
  const session = readEmbedSession(cookieFromHeader(meta.cookie, EMBED_SESSION_COOKIE), now);
  if (!session || !isEmbedRequestAllowed(meta)) return null;
  const [client, user] = await Promise.all([
    db.embedClient.findUnique({ where: { id: session.cid }, select: { active: true, allowedOrigins: true } }),
    db.user.findUnique({ where: { id: session.uid }, include: { stores: true } }),
  ]);
  if (!client?.active || !client.allowedOrigins.includes(session.origin)) return null;
  if (!isActivePerson(user) || user.role !== session.role) return null;
  return {
    session,
    hostOrigin: session.origin,
    actor: {
      kind: "user",
      userId: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      storeIds: embedStoreFilter(user.role, user.stores.map((s) => s.storeId), session.stores),
      scopes: null,
      ip: meta.ip,
      userAgent: meta.userAgent,
      channel: `embed:${session.cid}`,
    },
  };
}
