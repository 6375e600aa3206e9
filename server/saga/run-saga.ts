import { addTimeline } from "@/server/cancellations/timeline";
import { releaseHolds } from "@/server/cancellations/release-holds";
import { recordAudit } from "@/server/audit/record-audit";
import { numbered } from "@/server/db/numbers";
import { formatAmount } from "@/server/domain/money";
import { getConfig } from "@/server/config";
import { writeEvent } from "@/server/events/outbox";
import { raiseIncident } from "@/server/notifications/ops-alerts";
import { enqueueJob, scheduleSaga, TASKS } from "./jobs";
import { withRetries } from "./retry";
import { loadSagaCancellation, lockCancellation, lockOrderAndCancellation, sagaContext, type SagaContext, type SagaDeps } from "./saga-context";
import { acquireSagaLease, fencedDb } from "./saga-lease";
import { adjustOrder } from "./steps/adjust-order";
import { releaseInventory } from "./steps/release-inventory";
import { settleAllocation } from "./steps/settle-allocation";

/** `busy`: another runner holds this saga; nothing was done and the caller should try again later. */
export type SagaOutcome = "completed" | "failed" | "waiting" | "not_processing" | "busy";

/**
 * SPEC §6.3: order adjustment → payment per tender → inventory release →
 * completion. Every step records itself in PostgreSQL in the transaction of
 * its effect, so the saga can be run again at any point (after a crash, a
 * retry, a webhook) and resumes where it stopped, doing nothing twice.
 */
export async function runSaga(deps: SagaDeps, cancellationId: string): Promise<SagaOutcome> {
  const first = await deps.db.cancellation.findUnique({ where: { id: cancellationId }, select: { status: true } });
  if (first?.status !== "processing") return "not_processing";
  const databaseUrl = deps.databaseUrl ?? getConfig().databaseUrl;
  if (!databaseUrl) throw new Error("runSaga needs databaseUrl (or DATABASE_URL) for its lock connection");
  const lease = await acquireSagaLease(databaseUrl, cancellationId);
  if (!lease) return "busy";
  try {
    return await runSteps(sagaContext({ ...deps, db: fencedDb(deps.db, lease) }), cancellationId);
  } finally {
    await lease.release();
  }
}

async function runSteps(ctx: SagaContext, cancellationId: string): Promise<SagaOutcome> {
  // Checked again under the lease: the runner that held it may have just finished the saga.
  const current = await ctx.db.cancellation.findUnique({ where: { id: cancellationId }, select: { status: true } });
  if (current?.status !== "processing") return "not_processing";

  try {
    await withRetries(() => adjustOrder(ctx, cancellationId));
  } catch (error) {
    // Compensate only while nothing has happened yet. An error after the adjustment was
    // recorded (a resumed saga hitting a database error) must not give units back that
    // were already refunded: the job fails and is retried instead.
    const adjusted = await ctx.db.cancellation.findUnique({ where: { id: cancellationId }, select: { orderAdjustedAt: true } });
    if (adjusted?.orderAdjustedAt) throw error;
    await failCancellation(ctx, cancellationId, `Order update failed: ${(error as Error).message}`);
    return "failed";
  }

  const c = await loadSagaCancellation(ctx.db, cancellationId);
  let waiting = false;
  let wakeAt: Date | null = null;
  for (const a of c.allocations) {
    const step = await settleAllocation(ctx, c, a);
    if (step.state === "waiting") {
      waiting = true;
      if (step.wakeAt && (!wakeAt || step.wakeAt < wakeAt)) wakeAt = step.wakeAt;
    }
  }
  if (waiting) {
    // A retry of an unknown outcome, or the end of a wait for a confirmation: the saga wakes itself.
    if (wakeAt) await scheduleSaga(ctx.db, cancellationId, c.orderId, wakeAt);
    return "waiting";
  }

  try {
    await withRetries(() => releaseInventory(ctx, cancellationId));
  } catch (error) {
    // SPEC §6.4: queued for retry and alerted; the cancellation still completes.
    await ctx.db.$transaction(async (tx) => {
      await addTimeline(tx, cancellationId, "inventory_release", "retry_scheduled", `Alert: inventory release failed (${(error as Error).message}); retrying in the background`);
      await enqueueJob(tx, TASKS.inventoryRetry, { cancellationId }, { runAt: new Date(Date.now() + 5_000), maxAttempts: 10, jobKey: `inventory:${cancellationId}` });
      await raiseIncident(tx, {
        kind: "inventory_release_failed",
        subject: "inventory",
        summary: "Inventory release failed after its retries; retrying in the background",
        details: { cancellationId, error: (error as Error).message },
      });
    });
  }

  await withRetries(() => completeCancellation(ctx, cancellationId));
  return "completed";
}

async function completeCancellation(ctx: SagaContext, cancellationId: string) {
  await ctx.db.$transaction(async (tx) => {
    const c = await lockCancellation(tx, cancellationId);
    if (c.status !== "processing") return;
    ctx.inject.maybeFail("completion");
    await tx.cancellation.update({ where: { id: c.id }, data: { status: "completed", completedAt: new Date() } });
    const manual = c.allocations.filter((a) => a.status === "manual_required").length;
    // Never "completed" while a person still has to refund something (issue 15): the entry
    // says who it waits for; completing the last task adds the completed entry.
    const open = numbered(await tx.manualRefundTask.findMany({ where: { cancellationId: c.id, status: "open" }, select: { amount: true } }));
    const waiting = open.reduce((s, t) => s + t.amount, 0);
    await addTimeline(
      tx,
      c.id,
      "completion",
      open.length ? "waiting_for_manual_refund" : "completed",
      open.length
        ? `Order adjusted; ${formatAmount(waiting, c.currency)} ${c.currency} waits for a manual refund by an admin (Operations → Manual refunds)`
        : "Completed",
    );
    await writeEvent(tx, "CancellationCompleted", {
      orderId: c.orderId,
      correlationId: c.correlationId,
      payload: { cancellationId: c.id, refundAmount: c.total, currency: c.currency, allocation: c.allocations.map((a) => ({ tenderId: a.tender?.tenderId, operation: a.operation, amount: a.amount, status: a.status })) },
    });
    await recordAudit(tx, { actorType: "system", action: "cancellation.completed", entity: "cancellation", entityId: c.id, orderId: c.orderId, channel: "saga", details: { total: c.total, manual } });
  });
}

/** SPEC §6.4, the order update failed: give back everything held, status failed, the customer told. */
export async function failCancellation(ctx: Pick<SagaContext, "db">, cancellationId: string, reason: string) {
  await ctx.db.$transaction(async (tx) => {
    const c = await lockOrderAndCancellation(tx, cancellationId);
    if (c.status !== "processing") return;
    // Order adjustment is the first step: before it is recorded no money has moved and no
    // stock was released, and after it this compensation must never run.
    if (c.orderAdjustedAt) throw new Error(`cancellation ${c.id} was already applied to the order; not compensating`);
    await releaseHolds(tx, c);
    await tx.cancellationAllocation.updateMany({ where: { cancellationId: c.id, status: "pending" }, data: { status: "failed", lastError: reason } });
    await tx.cancellation.update({ where: { id: c.id }, data: { status: "failed", failureReason: reason } });
    await addTimeline(tx, c.id, "compensation", "failed", `${reason}; held units and amounts released`);
    await writeEvent(tx, "CancellationFailed", { orderId: c.orderId, correlationId: c.correlationId, payload: { cancellationId: c.id, reason } });
    await recordAudit(tx, { actorType: "system", action: "cancellation.failed", entity: "cancellation", entityId: c.id, orderId: c.orderId, channel: "saga", details: { reason } });
  });
}
