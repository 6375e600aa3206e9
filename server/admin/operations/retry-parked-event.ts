import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import { recordAdminAudit } from "../admin-audit";

export const ZRetryParkedEventSchema = z.object({ eventId: z.string().min(1).max(100) });

/**
 * Gives a parked outbox event back to the relay with a fresh count of attempts. It goes
 * out after the events of its order that were published while it was parked: consumers
 * that need the order sort one order's events by `occurredAt` (and dedupe on eventId).
 */
export async function retryParkedEventAsAdmin({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { eventId } = ZRetryParkedEventSchema.parse(input);
  const notFound = new AppError(ErrorCode.NOT_FOUND, `Outbox event ${eventId} was not found.`);
  if (!isUuid(eventId)) throw notFound;
  return db.$transaction(async (tx) => {
    const { count } = await tx.outboxEvent.updateMany({
      where: { id: eventId, parkedAt: { not: null }, publishedAt: null },
      data: { parkedAt: null, attempts: 0, nextAttemptAt: null },
    });
    const event = await tx.outboxEvent.findUnique({ where: { id: eventId } });
    if (!event) throw notFound;
    if (count === 0) throw new AppError(ErrorCode.INVALID_STATE, event.publishedAt ? "This event was published already." : "This event is not parked.");
    await recordAdminAudit(tx, actor, {
      action: "outbox_event.retried",
      entity: "outbox_event",
      entityId: event.id,
      orderId: event.orderId,
      details: { type: event.type, topic: event.topic, lastError: event.lastError },
    });
    return { eventId: event.id, retriedAt: new Date().toISOString() };
  });
}
