import type { Actor } from "@/server/auth/permissions";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import type { DeadLetter, Prisma } from "@/server/generated/prisma/client";

/**
 * Marks an unresolved dead letter resolved in the caller's transaction and returns it.
 * The `resolvedAt: null` condition makes a second click (or a second admin) change
 * nothing and say so; the row lock it takes holds until the caller's commit.
 */
export async function closeDeadLetter(
  tx: Prisma.TransactionClient,
  actor: Actor,
  deadLetterId: string,
  data: { retriedAt?: Date; resolutionNote?: string },
): Promise<DeadLetter> {
  const notFound = new AppError(ErrorCode.NOT_FOUND, `Dead letter ${deadLetterId} was not found.`);
  if (!isUuid(deadLetterId)) throw notFound;
  const resolvedAt = data.retriedAt ?? new Date();
  const { count } = await tx.deadLetter.updateMany({
    where: { id: deadLetterId, resolvedAt: null },
    data: { ...data, resolvedAt, resolvedById: actor.userId },
  });
  const dl = await tx.deadLetter.findUnique({ where: { id: deadLetterId } });
  if (!dl) throw notFound;
  if (count === 0) {
    throw new AppError(ErrorCode.INVALID_STATE, dl.retriedAt ? "This dead letter was retried already." : "This dead letter is resolved already.", { resolvedAt: dl.resolvedAt?.toISOString() });
  }
  return dl;
}
