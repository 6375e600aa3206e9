import { type Actor, canSeeStore } from "@/server/auth/permissions";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import type { Prisma } from "@/server/generated/prisma/client";
import { lockCancellation, lockOrder, type SagaCancellation } from "./lock-cancellation";

function cancellationNotFound(cancellationId: string): AppError {
  return new AppError(ErrorCode.NOT_FOUND, `Cancellation ${cancellationId} was not found.`);
}

/**
 * The cancellation a person acts on (approve, reject, withdraw), locked in the
 * one lock order of every writer (order, then cancellation). Unknown, not a
 * UUID, or in a store the actor cannot see: the same 404, never a hint.
 */
export async function lockVisibleCancellation(tx: Prisma.TransactionClient, actor: Actor, cancellationId: string): Promise<SagaCancellation> {
  if (!isUuid(cancellationId)) throw cancellationNotFound(cancellationId);
  const found = await tx.cancellation.findUnique({ where: { id: cancellationId }, select: { orderId: true } });
  if (!found) throw cancellationNotFound(cancellationId);
  await lockOrder(tx, found.orderId);
  const c = await lockCancellation(tx, cancellationId);
  if (!canSeeStore(actor, c.order.storeId)) throw cancellationNotFound(cancellationId);
  return c;
}
