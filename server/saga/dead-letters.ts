import type { Db } from "@/server/db/client";
import type { Job } from "graphile-worker";
import { addTimeline } from "@/server/cancellations/timeline";
import { enqueueJob, enqueueSaga, TASKS } from "./jobs";

/** A job's last attempt failed: it goes to the dead-letter list that admins read and retry. */
export async function deadLetter(db: Db, job: Job, error: unknown) {
  const payload = job.payload as { cancellationId?: string };
  await db.$transaction(async (tx) => {
    await tx.deadLetter.create({
      data: { cancellationId: payload.cancellationId ?? null, step: job.task_identifier, payload: job.payload as object, error: String((error as Error)?.message ?? error), attempts: job.attempts },
    });
    if (payload.cancellationId) await addTimeline(tx, payload.cancellationId, job.task_identifier, "dead_letter", `Gave up after ${job.attempts} attempts: ${(error as Error)?.message ?? error}`);
  });
}

/** An admin's retry: the job is enqueued again and the dead letter marked. */
export async function retryDeadLetter(db: Db, deadLetterId: string) {
  await db.$transaction(async (tx) => {
    const dl = await tx.deadLetter.findUniqueOrThrow({ where: { id: deadLetterId } });
    const payload = dl.payload as { cancellationId?: string };
    if (dl.step === TASKS.saga && payload.cancellationId) {
      const c = await tx.cancellation.findUniqueOrThrow({ where: { id: payload.cancellationId }, select: { orderId: true } });
      await enqueueSaga(tx, payload.cancellationId, c.orderId);
    } else {
      await enqueueJob(tx, dl.step, payload);
    }
    await tx.deadLetter.update({ where: { id: dl.id }, data: { retriedAt: new Date() } });
  });
}
