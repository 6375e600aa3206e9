import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/generated/prisma/client";

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
} as const;

export const SAGA_MAX_ATTEMPTS = 8;

/**
 * Enqueues the saga in the caller's transaction (graphile-worker's add_job is
 * plain SQL), so a cancellation is never stored without its saga or the other
 * way round. One queue per order: sagas of one order run one at a time, so
 * each sees its tenders as the previous one left them.
 */
export async function enqueueSaga(tx: Prisma.TransactionClient, cancellationId: string, orderId: string): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${TASKS.saga}::text,
    json_build_object('cancellationId', ${cancellationId}::text),
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
    json_build_object('cancellationId', ${cancellationId}::text),
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
  opts: { runAt?: Date; maxAttempts?: number; jobKey?: string } = {},
): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(payload)}::json,
    run_at => ${opts.runAt ?? new Date()}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? 10}::int,
    job_key => ${opts.jobKey ?? null}::text)`;
}
