import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import { addTimeline, timelineActor } from "@/server/cancellations/timeline";
import type { Db } from "@/server/db/client";
import { recordAdminAudit } from "../admin-audit";
import { closeDeadLetter } from "./close-dead-letter";

export const ZResolveDeadLetterSchema = z.object({
  deadLetterId: z.string().min(1).max(100),
  note: z.string().trim().min(1, "say why no retry is needed (e.g. fixed by hand)").max(1000),
});

/** An admin closes a dead letter without retrying it (the job's work was done another way), saying why. */
export async function resolveDeadLetterAsAdmin({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { deadLetterId, note } = ZResolveDeadLetterSchema.parse(input);
  return db.$transaction(async (tx) => {
    const dl = await closeDeadLetter(tx, actor, deadLetterId, { resolutionNote: note });
    if (dl.cancellationId) await addTimeline(tx, dl.cancellationId, dl.step, "resolved", { kind: "dead_letter_resolved", actor: timelineActor(actor), note });
    await recordAdminAudit(tx, actor, {
      action: "dead_letter.resolved",
      entity: "dead_letter",
      entityId: dl.id,
      details: { step: dl.step, cancellationId: dl.cancellationId, note },
    });
    return { deadLetterId: dl.id, resolvedAt: dl.resolvedAt!.toISOString(), note };
  });
}
