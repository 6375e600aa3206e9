import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { retryDeadLetter } from "@/server/saga/dead-letters";
import { isUuid } from "@/server/domain/ids";
import { recordAdminAudit } from "../admin-audit";

export const ZRetryDeadLetterSchema = z.object({ deadLetterId: z.string().min(1).max(100) });

/**
 * Puts a dead-lettered job back on the queue. Safe to repeat: the saga skips
 * what it has done and every provider call carries its idempotency key.
 */
export async function retryDeadLetterAsAdmin({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { deadLetterId } = ZRetryDeadLetterSchema.parse(input);
  const notFound = new AppError(ErrorCode.NOT_FOUND, `Dead letter ${deadLetterId} was not found.`);
  if (!isUuid(deadLetterId)) throw notFound;
  const dl = await db.deadLetter.findUnique({ where: { id: deadLetterId } });
  if (!dl) throw notFound;
  if (dl.resolvedAt) throw new AppError(ErrorCode.INVALID_STATE, "This dead letter is resolved already.");
  await retryDeadLetter(db, deadLetterId);
  await recordAdminAudit(db, actor, {
    action: "dead_letter.retried",
    entity: "dead_letter",
    entityId: dl.id,
    details: { step: dl.step, cancellationId: dl.cancellationId },
  });
  return { deadLetterId: dl.id, retriedAt: new Date().toISOString() };
}
