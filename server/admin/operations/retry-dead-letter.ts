import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import { addTimeline, timelineActor } from "@/server/cancellations/timeline";
import type { Db } from "@/server/db/client";
import { requeueDeadLetter } from "@/server/saga/dead-letters";
import { recordAdminAudit } from "../admin-audit";
import { closeDeadLetter } from "./close-dead-letter";

export const ZRetryDeadLetterSchema = z.object({ deadLetterId: z.string().min(1).max(100) });

/**
 * Puts a dead-lettered job back on the queue under its job key, and resolves the dead
 * letter with its audit entry in the same transaction. Safe to repeat: the saga skips
 * what it has done and every provider call carries its idempotency key.
 */
export async function retryDeadLetterAsAdmin({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { deadLetterId } = ZRetryDeadLetterSchema.parse(input);
  return db.$transaction(async (tx) => {
    const retriedAt = new Date();
    const dl = await closeDeadLetter(tx, actor, deadLetterId, { retriedAt });
    await requeueDeadLetter(tx, dl);
    if (dl.cancellationId) await addTimeline(tx, dl.cancellationId, dl.step, "retried", { kind: "dead_letter_retried", actor: timelineActor(actor) });
    // Last: the audit chain's lock is held from here to the commit.
    await recordAdminAudit(tx, actor, {
      action: "dead_letter.retried",
      entity: "dead_letter",
      entityId: dl.id,
      details: { step: dl.step, cancellationId: dl.cancellationId, jobKey: dl.jobKey },
    });
    return { deadLetterId: dl.id, retriedAt: retriedAt.toISOString(), resolvedAt: retriedAt.toISOString() };
  });
}
