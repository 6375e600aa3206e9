import { isActivePerson } from "@/server/auth/permissions";
import { recordAudit } from "@/server/audit/record-audit";
import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/generated/prisma/client";
import { decryptClientSecret } from "./client-secret";
import { EMBED_SESSION_TTL_S, newEmbedSession, signEmbedSession } from "@/server/auth/embed-session";
import { embedStoreFilter } from "@/server/auth/resolve-embed-session";
import { EMBED_CLOCK_SKEW_S, type EmbedClientKey, type EmbedTokenRefusal, verifyEmbedToken } from "./verify-embed-token";

export interface ExchangeInput {
  token: string;
  /** Where the browser said the request came from (`Origin`, else `Referer`); null when it did not say. */
  requestOrigin: string | null;
  ip?: string;
  userAgent?: string;
}

export type ExchangeResult =
  | { ok: true; cookie: string; maxAgeS: number; userId: string; clientId: string; origin: string }
  | { ok: false; reason: EmbedTokenRefusal };

// Refusals are audited with what the token claimed; those values are unverified and capped.
function claimed(claims: Partial<Record<string, unknown>> | undefined, key: string): string | null {
  const value = claims?.[key];
  return typeof value === "string" ? value.slice(0, 255) : null;
}

export async function findEmbedClientKey(db: Db, id: string): Promise<EmbedClientKey | null> {
  const client = await db.embedClient.findUnique({ where: { id } });
  if (!client) return null;
  return { id: client.id, active: client.active, allowedOrigins: client.allowedOrigins, secret: decryptClientSecret(client.id, client.secretCiphertext) };
}

/**
 * Exchanges a CRM's embed token for an embed session: the token checks of verifyEmbedToken,
 * then an active, non-service user with that email and the role the CRM claims, then single
 * use (its jti recorded in the same transaction as the audit entry). Every refusal is audited.
 */
export async function exchangeEmbedToken({ db, clock = () => new Date() }: { db: Db; clock?: () => Date }, input: ExchangeInput): Promise<ExchangeResult> {
  const now = clock();
  const refuse = async (reason: EmbedTokenRefusal, claims?: Partial<Record<string, unknown>>): Promise<ExchangeResult> => {
    const clientId = claimed(claims, "iss");
    await recordAudit(db, {
      actorType: "anonymous",
      action: "embed.token_refused",
      entity: "embed_client",
      entityId: clientId,
      ip: input.ip,
      userAgent: input.userAgent,
      channel: clientId ? `embed:${clientId}` : "embed",
      details: { reason, sub: claimed(claims, "sub"), jti: claimed(claims, "jti"), origin: claimed(claims, "origin"), requestOrigin: input.requestOrigin },
    });
    return { ok: false, reason };
  };

  const verified = await verifyEmbedToken(input.token, { findClient: (id) => findEmbedClientKey(db, id), now, requestOrigin: input.requestOrigin });
  if (!verified.ok) return refuse(verified.reason, verified.claims);
  const { claims, origin } = verified;

  // Users are never created from a token: the CRM names someone this app already knows.
  const user = await db.user.findUnique({ where: { email: claims.sub }, include: { stores: true } });
  if (!isActivePerson(user)) return refuse("unknown_user", claims);
  if (user.role !== claims.role) return refuse("role_mismatch", claims);

  const stores = claims.stores ?? null;
  const session = newEmbedSession({ uid: user.id, cid: claims.iss, origin, role: user.role, stores }, now);
  try {
    await db.$transaction(async (tx) => {
      await tx.embedTokenUse.create({ data: { clientId: claims.iss, jti: claims.jti, usedAt: now, expiresAt: new Date((claims.exp + EMBED_CLOCK_SKEW_S) * 1000) } });
      await recordAudit(tx, {
        actorType: "user",
        actorId: user.id,
        action: "embed.session_started",
        entity: "embed_client",
        entityId: claims.iss,
        ip: input.ip,
        userAgent: input.userAgent,
        channel: `embed:${claims.iss}`,
        details: { jti: claims.jti, origin, sessionId: session.sid, stores: embedStoreFilter(user.role, user.stores.map((s) => s.storeId), stores) },
      });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return refuse("replayed", claims);
    throw error;
  }
  // A used jti only matters until its token has expired.
  await db.embedTokenUse.deleteMany({ where: { expiresAt: { lt: now } } });
  return { ok: true, cookie: signEmbedSession(session), maxAgeS: EMBED_SESSION_TTL_S, userId: user.id, clientId: claims.iss, origin };
}
