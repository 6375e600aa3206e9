/*
 * The job queue (graphile-worker) as the modules use it: task names and the SQL that adds a job in
 * the caller's transaction. Below the saga, notifications and inventory, which all enqueue work;
 * the worker (server/worker/) runs the tasks.
 */
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/generated/prisma/client";
import { traceHeaders } from "@/server/observability/spans";

export const TASKS = {
  saga: "cancellation_saga",
  inventoryRetry: "inventory_release_retry",
  notify: "notify_customer",
  notifyStaff: "notify_staff",
  expireApprovals: "expire_approvals",
  relayOutbox: "relay_outbox",
  timeOutPayments: "time_out_pending_payments",
  opsAlert: "send_ops_alert",
  opsSweep: "ops_alert_sweep",
  circuitSweep: "circuit_alert_sweep",
  rateLimitSweep: "rate_limit_sweep",
  warehouseUnreserve: "warehouse_unreserve",
  warehouseTimeouts: "warehouse_timeouts",
  warehouseAdjustment: "warehouse_inventory_adjustment",
  warehouseReconcile: "warehouse_reconcile",
} as const;

export const SAGA_MAX_ATTEMPTS = 8;

/**
 * graphile-worker runs the job with the lowest priority number first. Sagas (and their wakes) keep
 * the default 0; the customer's email and the warehouse's inventory message of a finished saga
 * are 10, so that under a backlog the worker moves money first and the messages follow once no
 * saga is waiting (they are not lost or reordered per key, only later).
 */
export const FOLLOW_UP_PRIORITY = 10;

type JobSpec = { task: string; payload: string; runAt: Date; maxAttempts: number; jobKey: string | null; priority: number };

/** Jobs of a transaction held back by batchJobs, to be added in one add_jobs call. */
const batches = new WeakMap<object, JobSpec[]>();

/**
 * Runs `fn` in the caller's transaction with the jobs that enqueueJob adds inside it collected and
 * added in ONE graphile_worker.add_jobs call at its end (each add_job is the costliest statement
 * of a saga step, and a NOTIFY). Nothing is added when `fn` throws (the transaction rolls back
 * anyway). Jobs are added in the order they were enqueued; a job with the same key enqueued twice
 * ends as the last one, as with two add_job calls.
 */
export async function batchJobs<T>(tx: Prisma.TransactionClient, fn: () => Promise<T>): Promise<T> {
  if (batches.has(tx)) return fn();
  const specs: JobSpec[] = [];
  batches.set(tx, specs);
  let result: T;
  try {
    result = await fn();
  } finally {
    batches.delete(tx);
  }
  if (specs.length) {
    const last = new Map(specs.map((s, i) => [s.jobKey ?? `#${i}`, s]));
    const unique = specs.filter((s, i) => last.get(s.jobKey ?? `#${i}`) === s);
    await tx.$executeRaw`SELECT count(*) FROM graphile_worker.add_jobs(
      (SELECT array_agg(ROW(s.task, s.payload, NULL, s.run_at, s.max_attempts::smallint, s.job_key, s.priority::smallint, NULL)::graphile_worker.job_spec ORDER BY s.n)
         FROM json_to_recordset(${JSON.stringify(unique.map((u, n) => ({ n, task: u.task, payload: JSON.parse(u.payload) as unknown, run_at: u.runAt.toISOString(), max_attempts: u.maxAttempts, job_key: u.jobKey, priority: u.priority })))}::json)
           AS s(n int, task text, payload json, run_at timestamptz, max_attempts int, job_key text, priority int)))`;
  }
  return result;
}

/** The saga job's payload: the cancellation, and the W3C trace context of whoever enqueued it (when tracing). */
function sagaPayload(cancellationId: string): string {
  return JSON.stringify({ cancellationId, ...traceHeaders() });
}

/**
 * Enqueues the saga in the caller's transaction (graphile-worker's add_job is
 * plain SQL), so a cancellation is never stored without its saga or the other
 * way round. One queue per order: sagas of one order run one at a time, so
 * each sees its tenders as the previous one left them.
 */
export async function enqueueSaga(tx: Prisma.TransactionClient, cancellationId: string, orderId: string): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${TASKS.saga}::text,
    ${sagaPayload(cancellationId)}::json,
    queue_name => ${`order:${orderId}`}::text,
    max_attempts => ${SAGA_MAX_ATTEMPTS}::int,
    job_key => ${`saga:${cancellationId}`}::text)`;
}

/**
 * The saga wakes itself at `runAt` (a retry of an unknown provider outcome, the end of a wait for
 * a confirmation). Called from the running saga, whose own job is locked: an unlocked job with the
 * key was added meanwhile (a webhook asking to run now), and `preserve_run_at` keeps it sooner.
 */
export async function scheduleSaga(db: Db, cancellationId: string, orderId: string, runAt: Date): Promise<void> {
  await db.$executeRaw`SELECT graphile_worker.add_job(
    ${TASKS.saga}::text,
    ${sagaPayload(cancellationId)}::json,
    queue_name => ${`order:${orderId}`}::text,
    run_at => ${runAt}::timestamptz,
    max_attempts => ${SAGA_MAX_ATTEMPTS}::int,
    job_key => ${`saga:${cancellationId}`}::text,
    job_key_mode => 'preserve_run_at')`;
}

export async function enqueueJob(
  tx: Prisma.TransactionClient,
  task: string,
  payload: Record<string, unknown>,
  opts: { runAt?: Date; maxAttempts?: number; jobKey?: string; priority?: number } = {},
): Promise<void> {
  const spec: JobSpec = { task, payload: JSON.stringify({ ...payload, ...traceHeaders() }), runAt: opts.runAt ?? new Date(), maxAttempts: opts.maxAttempts ?? 10, jobKey: opts.jobKey ?? null, priority: opts.priority ?? 0 };
  const batch = batches.get(tx);
  if (batch) return void batch.push(spec);
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${spec.task}::text,
    ${spec.payload}::json,
    run_at => ${spec.runAt}::timestamptz,
    max_attempts => ${spec.maxAttempts}::int,
    job_key => ${spec.jobKey}::text,
    priority => ${spec.priority}::int)`;
}
