import type { Db } from "@/server/db/client";
import { addTimeline } from "@/server/cancellations/timeline";

/**
 * The notification service is outside this product; the message is recorded on the
 * timeline. Idempotent: under the cancellation's row lock, a notice already recorded
 * (a job re-run after its commit, e.g. when the worker died before reporting) is not
 * recorded again.
 */
export async function notifyCustomer(db: Db, cancellationId: string, kind: string): Promise<void> {
  const detail = `Customer notified: cancellation ${kind}`;
  await db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM cancellations WHERE id = ${cancellationId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new Error(`cancellation ${cancellationId} does not exist`);
    const sent = await tx.cancellationTimelineEntry.findFirst({ where: { cancellationId, step: "notification", status: "sent", detail } });
    if (!sent) await addTimeline(tx, cancellationId, "notification", "sent", detail);
  });
}
