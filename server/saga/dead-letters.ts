import type { Job } from "graphile-worker";
import { addTimeline } from "@/server/cancellations/timeline";
import type { Db } from "@/server/db/client";
import type { DeadLetter, Prisma } from "@/server/generated/prisma/client";
import { raiseIncident } from "@/server/notifications/ops-alerts";
import { enqueueJob, enqueueSaga, TASKS } from "@/server/jobs/queue";

const message = (error: unknown) => String((error as Error)?.message ?? error);

/**
 * A job's last attempt failed: it goes to the dead-letter list that admins read and
 * retry, with its key and limit so that a retry queues the same job. A job with a key
 * has one unresolved dead letter at a time: a scheduled job that keeps failing updates
 * it instead of adding one a minute.
 */
export async function deadLetter(db: Db, job: Job, error: unknown) {
  const payload = job.payload as { cancellationId?: string };
  await db.$transaction(async (tx) => {
    const open = job.key ? await tx.deadLetter.findFirst({ where: { jobKey: job.key, step: job.task_identifier, resolvedAt: null } }) : null;
    if (open) {
      await tx.deadLetter.update({ where: { id: open.id }, data: { error: message(error), attempts: { increment: job.attempts } } });
      return;
    }
    await tx.deadLetter.create({
      data: {
        cancellationId: payload.cancellationId ?? null,
        step: job.task_identifier,
        payload: job.payload as object,
        error: message(error),
        attempts: job.attempts,
        jobKey: job.key,
        maxAttempts: job.max_attempts,
      },
    });
    // One alert per failing step while it keeps failing; a failing alert job raises none (no loop).
    if (job.task_identifier !== TASKS.opsAlert) {
      await raiseIncident(tx, {
        kind: "dead_letter",
        subject: job.task_identifier,
        summary: `A ${job.task_identifier} job gave up after ${job.attempts} attempts and is in the dead-letter list`,
        details: { step: job.task_identifier, jobKey: job.key, cancellationId: payload.cancellationId ?? null, error: message(error) },
      });
    }
    // A job may name a cancellation that does not exist (that may be why it failed): the dead letter is kept all the same.
    const known = payload.cancellationId ? await tx.cancellation.findUnique({ where: { id: payload.cancellationId }, select: { id: true } }) : null;
    if (known) await addTimeline(tx, known.id, job.task_identifier, "dead_letter", { kind: "dead_letter", attempts: job.attempts, error: message(error) });
  });
}

/**
 * Queues a dead letter's job again, in the caller's transaction (which also marks the
 * dead letter and writes the audit entry), under its original job key: graphile-worker
 * then resets the failed job rather than adding a second one.
 */
export async function requeueDeadLetter(tx: Prisma.TransactionClient, dl: DeadLetter) {
  const payload = dl.payload as { cancellationId?: string };
  if (dl.step === TASKS.saga && payload.cancellationId) {
    const c = await tx.cancellation.findUniqueOrThrow({ where: { id: payload.cancellationId }, select: { orderId: true } });
    await enqueueSaga(tx, payload.cancellationId, c.orderId);
  } else {
    await enqueueJob(tx, dl.step, payload, { jobKey: dl.jobKey ?? undefined, maxAttempts: dl.maxAttempts ?? undefined });
  }
}
