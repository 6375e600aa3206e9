import { createHash } from "node:crypto";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { Prisma } from "@/server/generated/prisma/client";

export const IDEMPOTENCY_TTL_MS = 48 * 60 * 60 * 1000;
/**
 * How long a claim holds a key: longer than a submit can run (waiting for a connection,
 * the transaction's timeout, then the wait for the saga), so a live request never loses it.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;
export const IN_USE_RETRY_AFTER_SECONDS = 1;

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** This request holds the key until it completes or releases it. */
export interface KeyClaim {
  recordId: string;
  lockedUntil: Date;
}

export type ClaimResult = { kind: "claimed"; claim: KeyClaim } | { kind: "replay"; answer: StoredAnswer };

/** Keys are scoped per caller: two API clients may use the same key independently. */
export function idempotencyScope(actor: Actor): string {
  return actor.kind === "api_key" ? `api_key:${actor.apiKeyId}` : `user:${actor.userId}`;
}

export function requestHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** SPEC §6: every submit carries a key of 1–255 printable ASCII characters (spaces allowed). */
export function validateKey(key: string | null | undefined): string {
  if (key === null || key === undefined || key === "") {
    throw new AppError(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, "Send an Idempotency-Key header (one new key per cancellation you mean to make).");
  }
  if (!/^[\x20-\x7e]{1,255}$/.test(key)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, "Idempotency-Key must be 1–255 printable ASCII characters (spaces allowed).");
  }
  return key;
}

const inUse = () =>
  new AppError(ErrorCode.IDEMPOTENCY_KEY_IN_USE, "A request with this Idempotency-Key is still being processed; retry shortly to get its answer.", {
    retryAfterSeconds: IN_USE_RETRY_AFTER_SECONDS,
  });

const replayOf = (record: { responseStatus: number | null; responseBody: unknown }): ClaimResult => ({
  kind: "replay",
  answer: { status: record.responseStatus ?? 201, body: record.responseBody },
});

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/**
 * Claims the key before the request runs, in a statement of its own so that every
 * same-key request sees the claim at once: the first one runs; the others get the
 * answer it completed with, 409 while it is in flight, or 422 for another body.
 * A claim whose lease ran out belongs to a process that stopped: its committed answer
 * is replayed, or, when it committed nothing, the key is taken over.
 */
export async function claimKey(db: Db, scope: string, key: string, hash: string): Promise<ClaimResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = new Date();
    const lockedUntil = new Date(now.getTime() + IDEMPOTENCY_LEASE_MS);
    const fresh = { requestHash: hash, lockedUntil, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) };
    try {
      const created = await db.idempotencyRecord.create({ data: { scope, key, ...fresh } });
      return { kind: "claimed", claim: { recordId: created.id, lockedUntil } };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const record = await db.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
    if (!record) continue; // its owner failed and released it a moment ago

    if (record.expiresAt <= now) {
      const { count } = await db.idempotencyRecord.updateMany({
        where: { id: record.id, expiresAt: record.expiresAt },
        data: { ...fresh, createdAt: now, responseStatus: null, responseBody: Prisma.DbNull, completedAt: null },
      });
      if (count === 1) return { kind: "claimed", claim: { recordId: record.id, lockedUntil } };
      continue;
    }
    if (record.requestHash !== hash) {
      throw new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was already used with a different request.");
    }
    if (record.completedAt) return replayOf(record);
    if (record.lockedUntil && record.lockedUntil > now) throw inUse();
    if (record.responseStatus !== null) {
      // Committed, then its process stopped before answering: that answer becomes the one replayed.
      await db.idempotencyRecord.updateMany({ where: { id: record.id, completedAt: null }, data: { completedAt: now, lockedUntil: null } });
      return replayOf(record);
    }
    const { count } = await db.idempotencyRecord.updateMany({
      where: { id: record.id, lockedUntil: record.lockedUntil, responseStatus: null, completedAt: null },
      data: { lockedUntil },
    });
    if (count === 1) return { kind: "claimed", claim: { recordId: record.id, lockedUntil } };
  }
  throw inUse();
}

/**
 * Stores the answer in the transaction that made the change, so a crash after the
 * commit still has one to replay. Refuses (rolling the change back) when the claim
 * was lost, which the lease makes impossible for a request that is still running.
 * `final`: this is the answer that will be sent (nothing is awaited after the commit), so the
 * key is completed here too, and no completeAnswer follows.
 */
export async function commitAnswer(tx: Prisma.TransactionClient, claim: KeyClaim, answer: StoredAnswer, opts: { final?: boolean } = {}) {
  const { count } = await tx.idempotencyRecord.updateMany({
    where: { id: claim.recordId, lockedUntil: claim.lockedUntil, completedAt: null },
    data: { responseStatus: answer.status, responseBody: answer.body as Prisma.InputJsonValue, ...(opts.final ? { completedAt: new Date(), lockedUntil: null } : {}) },
  });
  if (count !== 1) throw inUse();
}

/** The answer actually sent (after waiting for the saga) becomes the one every replay returns. */
export async function completeAnswer(db: Db, claim: KeyClaim, answer: StoredAnswer) {
  await db.idempotencyRecord.updateMany({
    where: { id: claim.recordId, lockedUntil: claim.lockedUntil, completedAt: null },
    data: { responseStatus: answer.status, responseBody: answer.body as Prisma.InputJsonValue, completedAt: new Date(), lockedUntil: null },
  });
}

/** The request changed nothing (it was refused or failed): the key may be used again. */
export async function releaseClaim(db: Db, claim: KeyClaim) {
  await db.idempotencyRecord.deleteMany({ where: { id: claim.recordId, lockedUntil: claim.lockedUntil, responseStatus: null, completedAt: null } });
}
