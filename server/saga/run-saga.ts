import { addTimeline } from "@/server/cancellations/timeline";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { releaseHolds } from "@/server/cancellations/release-holds";
import { recordAudit } from "@/server/audit/record-audit";
import { numbered } from "@/server/db/numbers";
import { getConfig } from "@/server/config";
import { addLogContext } from "@/server/observability/logger";
import { metrics, secondsSince } from "@/server/observability/metrics";
import { writeEvent } from "@/server/events/outbox";
import { raiseIncident } from "@/server/notifications/ops-alerts";
import { batchJobs, enqueueJob, scheduleSaga, TASKS } from "@/server/jobs/queue";
import { withRetries } from "@/server/jobs/retry";
import type { Prisma } from "@/server/generated/prisma/client";
import { loadSagaCancellation, lockCancellation, lockOrderAndCancellation, type SagaCancellation, sagaContext, type SagaContext, type SagaDeps } from "./saga-context";
import { acquireSagaLease, fencedDb, SagaLeaseLost } from "./saga-lease";
import { adjustOrder } from "./steps/adjust-order";
import { releaseInventory, releaseInventoryIn } from "./steps/release-inventory";
import { openIntentIn, type OpenedIntent } from "./steps/call-provider";
import { paymentIdempotencyKey } from "./steps/settle-payment";
import { goesToProvider, settleAllocation } from "./steps/settle-allocation";
import { timedStep } from "./step-metrics";

/** `busy`: another runner holds this saga; nothing was done and the caller should try again later. */
export type SagaOutcome = "completed" | "failed" | "waiting" | "not_processing" | "busy";

/**
 * SPEC §6.3: order adjustment → payment per tender → inventory release →
 * completion. Every step records itself in PostgreSQL in the transaction of
 * its effect, so the saga can be run again at any point (after a crash, a
 * retry, a webhook) and resumes where it stopped, doing nothing twice.
 */
export async function runSaga(deps: SagaDeps, cancellationId: string): Promise<SagaOutcome> {
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
  // Checked under the lease: the runner that held it may have just finished the saga.
  const current = await loadSagaCancellation(ctx.db, cancellationId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND) return null;
    throw error;
  });
  if (current?.status !== "processing") return "not_processing";
  if (current.items.length === 0) {
    await failNothingStopped(ctx, cancellationId);
    return "failed";
  }

  // When the first payment goes to a provider, its intent commits with the order adjustment (one
  // transaction less). Compensation stays as it was: an intent never exists without the
  // adjustment it follows, and failCancellation runs only while orderAdjustedAt is unset. Should
  // that transaction fail, the retries adjust the order alone and the payment step opens the intent.
  const first = current.orderAdjustedAt ? undefined : current.allocations.find((a) => a.status === "pending");
  const withIntent = first && goesToProvider(first) ? first : undefined;
  const openFirstIntent = withIntent && ((tx: Prisma.TransactionClient, locked: SagaCancellation) => openIntentIn(tx, locked, withIntent.id, paymentIdempotencyKey(locked.id, withIntent)));
  if (openFirstIntent) ctx.inject.at("before_intent");
  let adjusted: { c: SagaCancellation; then?: OpenedIntent | null };
  try {
    adjusted = await timedStep("order_adjustment", cancellationId, () => withRetries((attempt) => adjustOrder(ctx, cancellationId, attempt === 1 ? openFirstIntent : undefined)));
  } catch (error) {
    // Compensate only while nothing has happened yet. An error after the adjustment was
    // recorded (a resumed saga hitting a database error) must not give units back that
    // were already refunded: the job fails and is retried instead.
    const adjustedAt = await ctx.db.cancellation.findUnique({ where: { id: cancellationId }, select: { orderAdjustedAt: true } });
    if (adjustedAt?.orderAdjustedAt) throw error;
    await failCancellation(ctx, cancellationId, `Order update failed: ${(error as Error).message}`);
    return "failed";
  }

  const { c } = adjusted;
  addLogContext({ orderId: c.orderId, correlationId: c.correlationId });
  let waiting = false;
  let wakeAt: Date | null = null;
  for (const a of c.allocations) {
    const intent = a.id === withIntent?.id ? (adjusted.then ?? undefined) : undefined;
    const step = await timedStep("payment", cancellationId, () => settleAllocation(ctx, c, a, intent), (s) => (s.state === "waiting" ? "waiting" : "succeeded"));
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

  // The usual case: inventory released and the cancellation completed in one transaction (timed
  // as the completion step). Should it fail, nothing of it happened, and the steps run one by one
  // with their retries (an inventory release that keeps failing must not hold the completion back).
  try {
    const started = performance.now();
    // The warehouse's adjustment and the customer's email are added in one add_jobs call.
    const finished = await ctx.db.$transaction(async (tx) =>
      batchJobs(tx, async () => {
        const locked = await lockCancellation(tx, cancellationId);
        if (locked.status !== "processing") return undefined;
        await releaseInventoryIn(ctx, tx, locked);
        return completeIn(ctx, tx, locked);
      }),
    );
    metrics().sagaStepDuration.observe({ step: "completion", outcome: "succeeded" }, secondsSince(started));
    observeFinished(finished, "completed");
    return "completed";
  } catch (error) {
    if (error instanceof SagaLeaseLost) throw error;
  }

  try {
    await timedStep("inventory_release", cancellationId, () => withRetries(() => releaseInventory(ctx, cancellationId)));
  } catch (error) {
    // SPEC §6.4: queued for retry and alerted; the cancellation still completes.
    await ctx.db.$transaction(async (tx) => {
      await addTimeline(tx, cancellationId, "inventory_release", "retry_scheduled", { kind: "inventory_retry", error: (error as Error).message });
      await enqueueJob(tx, TASKS.inventoryRetry, { cancellationId }, { runAt: new Date(Date.now() + 5_000), maxAttempts: 10, jobKey: `inventory:${cancellationId}` });
      await raiseIncident(tx, {
        kind: "inventory_release_failed",
        subject: "inventory",
        summary: "Inventory release failed after its retries; retrying in the background",
        details: { cancellationId, error: (error as Error).message },
      });
    });
  }

  await timedStep("completion", cancellationId, () => withRetries(() => completeCancellation(ctx, cancellationId)));
  return "completed";
}

/** Submit → end of saga, observed once the final status is committed. */
function observeFinished(finished: { createdAt: Date; approvalRequired: boolean } | undefined, status: "completed" | "failed") {
  if (!finished) return;
  metrics().cancellationsFinished.observe({ status, approval_required: String(finished.approvalRequired) }, (Date.now() - finished.createdAt.getTime()) / 1000);
}

async function completeCancellation(ctx: SagaContext, cancellationId: string) {
  const finished = await ctx.db.$transaction(async (tx) => completeIn(ctx, tx, await lockCancellation(tx, cancellationId)));
  observeFinished(finished, "completed");
}

/** The completion inside the caller's transaction, which holds the cancellation's lock; the cancellation when it completed it. */
async function completeIn(ctx: SagaContext, tx: Prisma.TransactionClient, c: SagaCancellation): Promise<SagaCancellation | undefined> {
  if (c.status !== "processing") return undefined;
  ctx.inject.maybeFail("completion");
  await tx.cancellation.update({ where: { id: c.id }, data: { status: "completed", completedAt: new Date() } });
  const manual = c.allocations.filter((a) => a.status === "manual_required").length;
  // Never "completed" while a person still has to refund something (issue 15): the entry
  // says who it waits for; completing the last task adds the completed entry.
  const open = numbered(await tx.manualRefundTask.findMany({ where: { cancellationId: c.id, status: "open" }, select: { amount: true } }));
  const waiting = open.reduce((s, t) => s + t.amount, 0);
  await addTimeline(tx, c.id, "completion", open.length ? "waiting_for_manual_refund" : "completed", { kind: "completed", currency: c.currency, waitingForManualRefund: waiting });
  await writeEvent(tx, "CancellationCompleted", {
    orderId: c.orderId,
    correlationId: c.correlationId,
    payload: { cancellationId: c.id, refundAmount: c.total, shippingRefundAdded: c.overrideNoRefund ? 0 : c.shippingAdded + c.shippingTaxAdded, currency: c.currency, allocation: c.allocations.map((a) => ({ tenderId: a.tender?.tenderId, operation: a.operation, amount: a.amount, status: a.status })) },
  });
  await recordAudit(tx, { actorType: "system", action: "cancellation.completed", entity: "cancellation", entityId: c.id, orderId: c.orderId, channel: "saga", details: { total: c.total, manual } });
  return c;
}

/** SPEC §6.4, the order update failed: give back everything held, status failed, the customer told. */
export async function failCancellation(ctx: Pick<SagaContext, "db">, cancellationId: string, reason: string) {
  const finished = await ctx.db.$transaction(async (tx) => {
    const c = await lockOrderAndCancellation(tx, cancellationId);
    if (c.status !== "processing") return undefined;
    // Order adjustment is the first step: before it is recorded no money has moved and no
    // stock was released, and after it this compensation must never run.
    if (c.orderAdjustedAt) throw new Error(`cancellation ${c.id} was already applied to the order; not compensating`);
    await releaseHolds(tx, c);
    await tx.cancellationAllocation.updateMany({ where: { cancellationId: c.id, status: "pending" }, data: { status: "failed", lastError: reason } });
    await tx.cancellation.update({ where: { id: c.id }, data: { status: "failed", failureReason: reason } });
    await addTimeline(tx, c.id, "compensation", "failed", { kind: "compensated", reason });
    await writeEvent(tx, "CancellationFailed", { orderId: c.orderId, correlationId: c.correlationId, payload: { cancellationId: c.id, reason } });
    await recordAudit(tx, { actorType: "system", action: "cancellation.failed", entity: "cancellation", entityId: c.id, orderId: c.orderId, channel: "saga", details: { reason } });
    return c;
  });
  observeFinished(finished, "failed");
}

/** The failure reason of a cancellation whose units the warehouse stopped none of (SPEC §11). */
export const NOTHING_STOPPED_REASON = "The warehouse could not stop any of the units; they stay released and will ship";

/**
 * A cancellation left with no unit (the warehouse stopped none of those it was asked for, and it
 * named no others): it ends `failed` with nothing to compensate, as the warehouse's answer already
 * gave the held units back to `released` and dropped the refund; the customer is told the order
 * goes on (CancellationFailed, reason warehouse_refused).
 */
async function failNothingStopped(ctx: Pick<SagaContext, "db">, cancellationId: string) {
  const finished = await ctx.db.$transaction(async (tx) => {
    const c = await lockCancellation(tx, cancellationId);
    if (c.status !== "processing" || c.items.length > 0) return undefined;
    await tx.cancellation.update({ where: { id: c.id }, data: { status: "failed", failureReason: NOTHING_STOPPED_REASON } });
    await addTimeline(tx, c.id, "warehouse", "failed", { kind: "warehouse_nothing_stopped" });
    await writeEvent(tx, "CancellationFailed", { orderId: c.orderId, correlationId: c.correlationId, payload: { cancellationId: c.id, reason: "warehouse_refused" } });
    await recordAudit(tx, { actorType: "system", action: "cancellation.failed", entity: "cancellation", entityId: c.id, orderId: c.orderId, channel: "saga", details: { reason: "warehouse_refused" } });
    return c;
  });
  observeFinished(finished, "failed");
}
