import { createHash } from "node:crypto";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import type { Prisma } from "@/server/generated/prisma/client";

export const IDEMPOTENCY_TTL_MS = 48 * 60 * 60 * 1000;

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** Keys are scoped per caller: two API clients may use the same key independently. */
export function idempotencyScope(actor: Actor): string {
  return actor.kind === "api_key" ? `api_key:${actor.apiKeyId}` : `user:${actor.userId}`;
}

export function requestHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

export function validateKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined || key === "") return null;
  if (key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, "Idempotency-Key must be 1-255 visible ASCII characters.");
  }
  return key;
}

/** The first answer for this key, or IDEMPOTENCY_KEY_REUSED when the body differs; null when new. */
export async function findAnswer(db: Db | Prisma.TransactionClient, scope: string, key: string, hash: string): Promise<StoredAnswer | null> {
  const record = await db.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
  if (!record || record.expiresAt < new Date()) return null;
  if (record.requestHash !== hash) {
    throw new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was already used with a different request.");
  }
  return { status: record.responseStatus ?? 201, body: record.responseBody };
}

export async function storeAnswer(tx: Prisma.TransactionClient, scope: string, key: string, hash: string, answer: StoredAnswer) {
  await tx.idempotencyRecord.deleteMany({ where: { scope, key, expiresAt: { lt: new Date() } } });
  await tx.idempotencyRecord.create({
    data: {
      scope,
      key,
      requestHash: hash,
      responseStatus: answer.status,
      responseBody: answer.body as Prisma.InputJsonValue,
      expiresAt: new Date(Date.now() + IDEMPOTENCY_TTL_MS),
    },
  });
}

/** The answer actually sent (after waiting for the saga) becomes the one replayed. */
export async function updateAnswer(db: Db, scope: string, key: string, answer: StoredAnswer) {
  await db.idempotencyRecord.update({
    where: { scope_key: { scope, key } },
    data: { responseStatus: answer.status, responseBody: answer.body as Prisma.InputJsonValue },
  });
}
