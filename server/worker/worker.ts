import { EventEmitter } from "node:events";
import { run, type Runner, type Task, type TaskList, type WorkerEvents } from "graphile-worker";
import { expirePendingApprovals } from "@/server/cancellations/expire-approvals";
import { getConfig } from "@/server/config";
import type { Db } from "@/server/db/client";
import type { PaymentProviders } from "@/server/payments/registry";
import { createNotifier, type Notifier } from "@/server/notifications/notifier";
import { notifyCustomer } from "@/server/notifications/notify-customer";
import { sendOpsAlert, sweepOpenCircuits, sweepOpsIncidents } from "@/server/notifications/ops-alerts";
import { sweepRateBuckets } from "@/server/rest/rate-limit";
import { recordStaffNotices } from "@/server/notifications/staff-notices";
import { logger, withLogContext } from "@/server/observability/logger";
import { metrics } from "@/server/observability/metrics";
import { contextFrom, SpanKind, type TraceCarrier, withReceivedSpan, withSpan } from "@/server/observability/spans";
import { deadLetter } from "@/server/saga/dead-letters";
import type { SagaFaults } from "@/server/saga/faults";
import { scheduleSaga, TASKS } from "@/server/jobs/queue";
import { runSaga } from "@/server/saga/run-saga";
import { closeSagaLeases } from "@/server/saga/saga-lease";
import { sagaContext } from "@/server/saga/saga-context";
import { wireSaga } from "@/server/saga/wire-saga";
import { timeOutPendingPayments } from "@/server/saga/time-out-pending-payments";
import { releaseInventory } from "@/server/saga/steps/release-inventory";
import { createHttpWarehouse } from "@/server/inventory/http-warehouse";
import type { Warehouse } from "@/server/inventory/port";
import { sendUnreserveRequest, timeOutWarehouseWaits } from "@/server/inventory/warehouse-cancellation";
import { lazyAdjustmentPublisher, type AdjustmentPublisher } from "@/server/inventory/warehouse-queues";
import { reconcileInventory } from "@/server/inventory/reconcile-inventory";

export interface WorkerDeps {
  db: Db;
  databaseUrl: string;
  payments: PaymentProviders;
  faults?: SagaFaults;
  /** Email and ops alerts; by default from the environment (SMTP_URL, MAIL_FROM, OPS_ALERT_*). */
  notifier?: Notifier;
  concurrency?: number;
  /** A worker that has not reported for this long is taken for dead and its jobs unlocked. */
  staleAfterMs?: number;
  log?: (line: string) => void;
  /** How long a saga job waits before trying again when another runner holds the saga. */
  busyRetryMs?: number;
  /** The warehouse (SPEC §11); by default over HTTP as configured (server/config/warehouse.ts). */
  warehouse?: Warehouse;
  /** Where inventory adjustments go (`wm.inventory.adjustments`); by default RabbitMQ at EVENTS_AMQP_URL. */
  adjustments?: AdjustmentPublisher | null;
}

/** Another runner holds the saga: this job ends having done nothing and the saga wakes again later. */
async function rescheduleSaga(db: Db, cancellationId: string, delayMs: number) {
  const c = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, select: { orderId: true } });
  await scheduleSaga(db, cancellationId, c.orderId, new Date(Date.now() + delayMs * (0.5 + Math.random())));
}

function withDeadLetter(db: Db, task: Task): Task {
  return async (payload, helpers) => {
    try {
      await task(payload, helpers);
    } catch (error) {
      if (helpers.job.attempts >= helpers.job.max_attempts) await deadLetter(db, helpers.job, error);
      throw error;
    }
  };
}

/** A job other than the saga (which has its own "saga run") in a CONSUMER span, continuing the trace that enqueued it (enqueueJob puts its traceparent in the payload). */
function traced(name: string, task: Task): Task {
  return (payload, helpers) => withReceivedSpan(`job ${name}`, { "pc.job.task": name }, payload as TraceCarrier, async () => void (await task(payload, helpers)));
}

export function taskList(deps: WorkerDeps): TaskList {
  const tasks = untracedTaskList(deps);
  return Object.fromEntries(Object.entries(tasks).map(([name, task]) => [name, name === TASKS.saga ? task! : traced(name, task!)]));
}

function untracedTaskList(deps: WorkerDeps): TaskList {
  const { db } = deps;
  const log = deps.log ?? ((line: string) => logger().info(line));
  const notifier = deps.notifier ?? createNotifier(db, getConfig().notifications, log);
  const config = getConfig();
  const warehouse = deps.warehouse ?? createHttpWarehouse(config.warehouse, { db });
  const adjustments = deps.adjustments !== undefined ? deps.adjustments : config.events.amqpUrl ? lazyAdjustmentPublisher(config.events.amqpUrl, config.events.prefix) : null;
  return {
    [TASKS.saga]: withDeadLetter(db, async (payload) => {
      const { cancellationId, traceparent, tracestate } = payload as { cancellationId: string; traceparent?: string; tracestate?: string };
      // The trace of the request that submitted (or last woke) the saga goes on here.
      await withLogContext({ job: TASKS.saga, cancellationId }, () => withSpan("saga run", { "pc.cancellation_id": cancellationId }, async () => {
        let outcome: Awaited<ReturnType<typeof runSaga>> | "error" = "error";
        try {
          outcome = await runSaga({ db, payments: deps.payments, faults: deps.faults, databaseUrl: deps.databaseUrl }, cancellationId);
        } finally {
          metrics().sagaRuns.inc({ outcome });
        }
        log(`saga ${cancellationId}: ${outcome}`);
        if (outcome === "busy") await rescheduleSaga(db, cancellationId, deps.busyRetryMs ?? 5_000);
      }, { kind: SpanKind.CONSUMER, parent: contextFrom({ traceparent, tracestate }) }));
    }),
    [TASKS.inventoryRetry]: withDeadLetter(db, async (payload) => {
      const { cancellationId } = payload as { cancellationId: string };
      await releaseInventory(sagaContext({ db, payments: deps.payments }), cancellationId);
    }),
    [TASKS.notify]: withDeadLetter(db, async (payload) => {
      const { eventId } = payload as { eventId?: string };
      if (!eventId) throw new Error("notify_customer job without an eventId (enqueued before notifications were fed by events)");
      metrics().notificationSends.inc({ outcome: await notifyCustomer(notifier, eventId) });
    }),
    [TASKS.notifyStaff]: withDeadLetter(db, async (payload) => {
      await recordStaffNotices(db, (payload as { eventId: string }).eventId);
    }),
    [TASKS.timeOutPayments]: withDeadLetter(db, async () => {
      const timedOut = await timeOutPendingPayments(db);
      if (timedOut) log(`${timedOut} unconfirmed provider operation(s) handed to manual refund`);
    }),
    [TASKS.expireApprovals]: withDeadLetter(db, async () => {
      const expired = await expirePendingApprovals(db);
      if (expired) log(`expired ${expired} pending approval(s)`);
    }),
    [TASKS.opsAlert]: withDeadLetter(db, async (payload) => {
      await sendOpsAlert(notifier, (payload as { incidentId: string }).incidentId);
    }),
    [TASKS.opsSweep]: withDeadLetter(db, async () => {
      await sweepOpsIncidents(db);
    }),
    [TASKS.circuitSweep]: withDeadLetter(db, async () => {
      await sweepOpenCircuits(db);
    }),
    [TASKS.rateLimitSweep]: withDeadLetter(db, async () => {
      await sweepRateBuckets(db);
    }),
    [TASKS.warehouseUnreserve]: withDeadLetter(db, async (payload) => {
      const { cancellationId } = payload as { cancellationId: string };
      log(`warehouse request ${cancellationId}: ${await sendUnreserveRequest({ db, warehouse }, cancellationId)}`);
    }),
    [TASKS.warehouseTimeouts]: withDeadLetter(db, async () => {
      const timedOut = await timeOutWarehouseWaits(db, config.warehouse.confirmTimeoutMs);
      if (timedOut) log(`${timedOut} cancellation(s) stopped waiting for the warehouse`);
    }),
    [TASKS.warehouseAdjustment]: withDeadLetter(db, async (payload) => {
      // Without a broker (EVENTS_AMQP_URL=off) adjustments are not sent; the reconciliation still compares.
      // The trace context the job carried goes in the message's headers (the publisher's span), not its body.
      const { traceparent: _traceparent, tracestate: _tracestate, ...message } = payload as Record<string, unknown>;
      if (adjustments) await adjustments.publish(message);
    }),
    [TASKS.warehouseReconcile]: withDeadLetter(db, async () => {
      const found = await reconcileInventory({ db, warehouse });
      if (found.opened) log(`reconciliation: ${found.opened} new difference(s) with the warehouse`);
    }),
  };
}

/**
 * The worker process's runner. graphile-worker locks jobs (and their queues)
 * with the id of the worker POOL, not of the individual workers, so each pool
 * reports a heartbeat under that id; at start and then periodically, jobs
 * held by pools that stopped reporting (killed, crashed) are unlocked so that
 * another worker resumes them. A saga that is unlocked wrongly still has one
 * runner: runSaga holds a per-cancellation lock (saga-lease.ts).
 */
export async function startWorker(deps: WorkerDeps): Promise<{ runner: Runner; stop(): Promise<void> }> {
  // The tasks enqueue sagas through the cancellation module's port (a warehouse answer, an approval).
  wireSaga();
  const staleAfterMs = deps.staleAfterMs ?? getConfig().worker.staleAfterMs;
  const poolIds = new Set<string>();
  const reported = new Set<string>();
  const events = new EventEmitter() as WorkerEvents;
  events.on("pool:create", ({ workerPool }) => {
    poolIds.add(workerPool.id);
    reported.add(workerPool.id);
  });
  // A pool that ended (a fatal error) no longer reports, so whatever it still held gets unlocked.
  events.on("pool:release", ({ workerPool }) => poolIds.delete(workerPool.id));
  const concurrency = deps.concurrency ?? getConfig().worker.concurrency;
  const runner = await run({
    events,
    connectionString: deps.databaseUrl,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    // The pool fetches (and locks) up to concurrency + 1 jobs in one statement and hands them to
    // its workers, instead of each worker fetching its own job: one get_jobs per batch under a
    // backlog instead of one per job (jobs of one order's queue still run one at a time).
    // Completed and failed jobs are deleted (or marked) in one statement per 20 ms rather than one
    // per job. A worker that dies inside that window leaves its finished jobs locked; the
    // heartbeat below unlocks them and they run again, as a job that crashed mid-run always could.
    preset: { worker: { localQueue: { size: concurrency + 1 }, completeJobBatchDelay: 20, failJobBatchDelay: 20 } },
    taskList: taskList(deps),
    crontab: [
      `* * * * * ${TASKS.expireApprovals} ?max=1&jobKey=expire_approvals`,
      `*/10 * * * * ${TASKS.timeOutPayments} ?max=1&jobKey=time_out_pending_payments`,
      `*/10 * * * * ${TASKS.opsSweep} ?max=1&jobKey=ops_alert_sweep`,
      // Every minute: a circuit breaker open for more than a minute is alerted (SPEC §10).
      `* * * * * ${TASKS.circuitSweep} ?max=1&jobKey=circuit_alert_sweep`,
      // Rate-limit buckets that are full again (server/rest/token-bucket.ts).
      `*/10 * * * * ${TASKS.rateLimitSweep} ?max=1&jobKey=rate_limit_sweep`,
      `* * * * * ${TASKS.warehouseTimeouts} ?max=1&jobKey=warehouse_timeouts`,
      ...reconcileSchedule(getConfig().warehouse.reconcileEveryMinutes),
    ].join("\n"),
  });

  const beat = async () => {
    const now = new Date();
    for (const workerId of poolIds) {
      await deps.db.workerHeartbeat.upsert({ where: { workerId }, update: { seenAt: now }, create: { workerId, seenAt: now } });
    }
    // Jobs locked by a worker whose heartbeat is missing or stale.
    const stale = await deps.db.$queryRaw<{ locked_by: string }[]>`
      SELECT DISTINCT j.locked_by FROM graphile_worker.jobs j
       WHERE j.locked_by IS NOT NULL
         AND j.locked_at < ${new Date(now.getTime() - staleAfterMs)}::timestamptz
         AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE h.worker_id = j.locked_by AND h.seen_at >= ${new Date(now.getTime() - staleAfterMs)}::timestamp)`;
    await deps.db.workerHeartbeat.deleteMany({ where: { seenAt: { lt: new Date(now.getTime() - 10 * staleAfterMs) } } });
    if (stale.length) {
      const ids = stale.map((s) => s.locked_by);
      await deps.db.$executeRaw`SELECT graphile_worker.force_unlock_workers(${ids}::text[])`;
      (deps.log ?? ((line: string) => logger().warn(line)))(`unlocked jobs of ${ids.length} stopped worker(s)`);
    }
  };
  await beat();
  const interval = setInterval(() => beat().catch((err: unknown) => logger().error({ err }, "worker heartbeat failed")), Math.min(5_000, Math.max(250, staleAfterMs / 4)));
  return {
    runner,
    stop: async () => {
      clearInterval(interval);
      await runner.stop();
      await closeSagaLeases();
      await deps.db.workerHeartbeat.deleteMany({ where: { workerId: { in: [...reported] } } });
    },
  };
}

/** The reconciliation's crontab line: every n minutes (below an hour), hourly, or never (0). */
function reconcileSchedule(minutes: number): string[] {
  if (minutes <= 0) return [];
  const when = minutes < 60 ? `*/${minutes} * * * *` : "0 * * * *";
  return [`${when} ${TASKS.warehouseReconcile} ?max=1&jobKey=warehouse_reconcile`];
}
