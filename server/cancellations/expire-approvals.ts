import { recordAudit } from "@/server/audit/record-audit";
import type { Db } from "@/server/db/client";
import { writeEvent } from "@/server/events/outbox";
import { lockCancellation, lockOrder } from "./lock-cancellation";
import { releaseHolds } from "./release-holds";
import { addTimeline } from "./timeline";

/** Pending approvals past their expiry give their units back (a scheduled job, every minute). */
export async function expirePendingApprovals(db: Db, now = new Date()): Promise<number> {
  const due = await db.cancellation.findMany({ where: { status: "pending_approval", expiresAt: { lte: now } }, select: { id: true, orderId: true } });
  let expired = 0;
  for (const { id, orderId } of due) {
    const done = await db.$transaction(async (tx) => {
      await lockOrder(tx, orderId);
      const c = await lockCancellation(tx, id);
      if (c.status !== "pending_approval") return false;
      await releaseHolds(tx, c);
      await tx.cancellation.update({ where: { id }, data: { status: "expired" } });
      await tx.approval.create({ data: { cancellationId: id, requiredRole: c.approverRole ?? "store_manager", decision: "expired", note: "No decision in time" } });
      await addTimeline(tx, id, "approval", "expired", { kind: "approval_expired" });
      await writeEvent(tx, "CancellationExpired", { orderId, correlationId: c.correlationId, payload: { cancellationId: id } });
      await recordAudit(tx, { actorType: "system", action: "cancellation.expired", entity: "cancellation", entityId: id, orderId, channel: "scheduler" });
      return true;
    });
    if (done) expired++;
  }
  return expired;
}
