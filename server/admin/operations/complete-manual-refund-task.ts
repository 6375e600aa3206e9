import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import { addTimeline, noteManualRefundsDone, timelineActor } from "@/server/cancellations/timeline";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import { recordAdminAudit } from "../admin-audit";

export const ZCompleteManualRefundTaskSchema = z.object({
  taskId: z.string().min(1).max(100),
  reference: z.string().trim().min(1, "the reference of the refund you made").max(200),
});

/**
 * Records that a person made the refund, with the reference (bank transfer,
 * provider dashboard id…). The tender's totals were moved when the task was
 * created, so only the task, the timeline and the audit log change here.
 */
export async function completeManualRefundTask({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { taskId, reference } = ZCompleteManualRefundTaskSchema.parse(input);
  const notFound = new AppError(ErrorCode.NOT_FOUND, `Manual-refund task ${taskId} was not found.`);
  if (!isUuid(taskId)) throw notFound;
  return db.$transaction(async (tx) => {
    const completedAt = new Date();
    // The status condition makes a second click (or a second admin) a no-op that says so.
    const { count } = await tx.manualRefundTask.updateMany({ where: { id: taskId, status: "open" }, data: { status: "done", reference, completedAt } });
    const found = await tx.manualRefundTask.findUnique({ where: { id: taskId }, include: { cancellation: { select: { orderId: true } } } });
    const task = found && numbered(found);
    if (!task) throw notFound;
    if (count === 0) throw new AppError(ErrorCode.INVALID_STATE, `This task was already marked done (reference ${task.reference ?? "none"}).`, { status: task.status });
    await addTimeline(tx, task.cancellationId, "manual_refund", "succeeded", { kind: "manual_refund_done", actor: timelineActor(actor), currency: task.currency, amount: task.amount, reference });
    await noteManualRefundsDone(tx, task.cancellationId);
    await recordAdminAudit(tx, actor, {
      action: "manual_refund.completed",
      entity: "manual_refund_task",
      entityId: task.id,
      orderId: task.cancellation.orderId,
      details: { cancellationId: task.cancellationId, amount: task.amount, currency: task.currency, reference },
    });
    return { taskId: task.id, status: "done" as const, reference, completedAt: completedAt.toISOString() };
  });
}
