import { EventEmitter } from "node:events";
import { run, type Runner, type Task, type TaskList, type WorkerEvents } from "graphile-worker";
import { expirePendingApprovals } from "@/server/cancellations/expire-approvals";
import { getConfig } from "@/server/config";
import type { Db } from "@/server/db/client";
import type { PaymentProviders } from "@/server/payments/registry";
import { createNotifier, type Notifier } from "@/server/notifications/notifier";
import { notifyCustomer } from "@/server/notifications/notify-customer";
import { sendOpsAlert, sweepOpsIncidents } from "@/server/notifications/ops-alerts";
import { recordStaffNotices } from "@/server/notifications/staff-notices";
import { deadLetter } from "./dead-letters";
import type { SagaFaults } from "./faults";
import { scheduleSaga, TASKS } from "./jobs";
import { runSaga } from "./run-saga";
import { sagaContext } from "./saga-context";
import { timeOutPendingPayments } from "./time-out-pending-payments";
import { releaseInventory } from "./steps/release-inventory";

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

export function taskList(deps: WorkerDeps): TaskList {
  const { db } = deps;
  const log = deps.log ?? console.log;
  const notifier = deps.notifier ?? createNotifier(db, getConfig().notifications, log);
  return {
    [TASKS.saga]: withDeadLetter(db, async (payload) => {
      const { cancellationId } = payload as { cancellationId: string };
      const outcome = await runSaga({ db, payments: deps.payments, faults: deps.faults, databaseUrl: deps.databaseUrl }, cancellationId);
      log(`saga ${cancellationId}: ${outcome}`);
      if (outcome === "busy") await rescheduleSaga(db, cancellationId, deps.busyRetryMs ?? 5_000);
    }),
    [TASKS.inventoryRetry]: withDeadLetter(db, async (payload) => {
      const { cancellationId } = payload as { cancellationId: string };
      await releaseInventory(sagaContext({ db, payments: deps.payments }), cancellationId);
    }),
    [TASKS.notify]: withDeadLetter(db, async (payload) => {
      const { eventId } = payload as { eventId?: string };
      if (!eventId) throw new Error("notify_customer job without an eventId (enqueued before notifications were fed by events)");
      await notifyCustomer(notifier, eventId);
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
  const runner = await run({
    events,
    connectionString: deps.databaseUrl,
    concurrency: deps.concurrency ?? getConfig().worker.concurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    taskList: taskList(deps),
    crontab: [
      `* * * * * ${TASKS.expireApprovals} ?max=1&jobKey=expire_approvals`,
      `*/10 * * * * ${TASKS.timeOutPayments} ?max=1&jobKey=time_out_pending_payments`,
      `*/10 * * * * ${TASKS.opsSweep} ?max=1&jobKey=ops_alert_sweep`,
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
      (deps.log ?? console.log)(`unlocked jobs of ${ids.length} stopped worker(s)`);
    }
  };
  await beat();
  const interval = setInterval(() => beat().catch((e) => console.error("heartbeat failed", e)), Math.min(5_000, Math.max(250, staleAfterMs / 4)));
  return {
    runner,
    stop: async () => {
      clearInterval(interval);
      await runner.stop();
      await deps.db.workerHeartbeat.deleteMany({ where: { workerId: { in: [...reported] } } });
    },
  };
}
