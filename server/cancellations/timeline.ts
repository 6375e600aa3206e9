import type { Prisma } from "@/server/generated/prisma/client";

export async function addTimeline(
  tx: Prisma.TransactionClient,
  cancellationId: string,
  step: string,
  status: string,
  detail?: string,
): Promise<void> {
  await tx.cancellationTimelineEntry.create({ data: { cancellationId, step, status, detail } });
}

/**
 * A completed cancellation reads "waiting for a manual refund" while a task is open (issue 15);
 * when its last task is closed (by a person or a late provider confirmation), this records the
 * completion. Call it in the transaction that closed the task.
 */
export async function noteManualRefundsDone(tx: Prisma.TransactionClient, cancellationId: string): Promise<void> {
  const open = await tx.manualRefundTask.count({ where: { cancellationId, status: "open" } });
  if (open > 0) return;
  const c = await tx.cancellation.findUnique({ where: { id: cancellationId }, select: { status: true } });
  if (c?.status === "completed") await addTimeline(tx, cancellationId, "completion", "completed", "Completed: every manual refund is done");
}
