import { type TimelineActor, type TimelineData, timelineText } from "@/server/domain/timeline-entry";
import { Prisma } from "@/server/generated/prisma/client";

/**
 * One timeline entry: its facts in `data` (rendered in words when read, server/domain/timeline-entry.ts)
 * and, for readers of the table itself (exports, older versions), the words as of now in `detail`.
 */
export async function addTimeline(tx: Prisma.TransactionClient, cancellationId: string, step: string, status: string, data: TimelineData): Promise<void> {
  // A plain INSERT (Prisma's create compiles the query and reads the row back, for nothing here).
  await tx.$executeRaw(timelineEntrySql(cancellationId, step, status, data));
}

/** addTimeline's INSERT, for a statement that writes the entry with the change it records (the submit's first). */
export function timelineEntrySql(cancellationId: string, step: string, status: string, data: TimelineData): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO cancellation_timeline (id, cancellation_id, at, step, status, detail, data)
    VALUES (gen_random_uuid(), ${cancellationId}::uuid, (${new Date().toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3), ${step}, ${status}, ${timelineText(data)}, ${JSON.stringify(data)}::jsonb)`;
}

/** The actor's facts a timeline entry keeps: id, name and role as they were. */
export function timelineActor(actor: { userId: string; name: string; role: string }): TimelineActor {
  return { id: actor.userId, name: actor.name, role: actor.role };
}

/** The lines' descriptions by order-line id: the timeline names products, not SKUs alone (issue 15). */
export async function productNames(tx: Prisma.TransactionClient, orderLineIds: readonly string[]): Promise<Map<string, string>> {
  if (orderLineIds.length === 0) return new Map();
  const rows = await tx.orderLine.findMany({ where: { id: { in: [...orderLineIds] } }, select: { id: true, description: true } });
  return new Map(rows.map((l) => [l.id, l.description]));
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
  if (c?.status === "completed") await addTimeline(tx, cancellationId, "completion", "completed", { kind: "manual_refunds_done" });
}
