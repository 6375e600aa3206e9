import { z } from "zod";
import { recordAudit } from "@/server/audit/record-audit";
import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { writeEvent } from "@/server/events/outbox";
import { lockVisibleCancellation } from "./lock-visible-cancellation";
import { type CancellationView, loadCancellation, toCancellationView } from "./cancellation-view";
import { releaseHolds } from "./release-holds";
import { addTimeline, timelineActor } from "./timeline";
import { paymentViewerFor } from "@/server/payments/payment-view";

export const ZWithdrawSchema = z.object({ note: z.string().trim().max(1000).optional() }).default({});
export type TWithdraw = z.output<typeof ZWithdrawSchema>;

/**
 * SPEC §6: the requester (or a system admin) withdraws a request that still
 * waits for approval. Its held units and amounts are given back exactly as a
 * rejection or an expiry gives them back (releaseHolds).
 */
export async function withdrawCancellation({ db, actor }: { db: Db; actor: Actor }, cancellationId: string, input: unknown): Promise<CancellationView> {
  const { note } = ZWithdrawSchema.parse(input);
  if (!hasPermission(actor, "cancel_partial_quantity")) throw new AppError(ErrorCode.FORBIDDEN, "This needs the cancel_partial_quantity permission.");

  await db.$transaction(async (tx) => {
    const c = await lockVisibleCancellation(tx, actor, cancellationId);
    if (c.requestedById !== actor.userId && actor.role !== "system_admin") {
      throw new AppError(ErrorCode.NOT_REQUESTER, "Only the person who requested this cancellation (or a system admin) may withdraw it.");
    }
    // Checked under the lock: an approval, rejection or expiry that won the race is final.
    if (c.status !== "pending_approval") {
      throw new AppError(ErrorCode.CANCELLATION_NOT_PENDING, `Only a request waiting for approval can be withdrawn; this one is ${c.status}.`, { status: c.status });
    }
    await releaseHolds(tx, c);
    await tx.cancellation.update({ where: { id: c.id }, data: { status: "withdrawn" } });
    await addTimeline(tx, c.id, "approval", "withdrawn", { kind: "withdrawn", actor: timelineActor(actor), byRequester: c.requestedById === actor.userId, note: note || null });
    await writeEvent(tx, "CancellationWithdrawn", { orderId: c.orderId, correlationId: c.correlationId, payload: { cancellationId: c.id, withdrawnBy: actor.userId, note: note ?? null } });
    await recordAudit(tx, {
      actorType: actor.kind,
      actorId: actor.userId,
      action: "cancellation.withdrawn",
      entity: "cancellation",
      entityId: c.id,
      orderId: c.orderId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      channel: actor.channel,
      details: { note: note ?? null, total: c.total, currency: c.currency, apiKeyId: actor.apiKeyId ?? null },
    });
  });
  return toCancellationView((await loadCancellation(db, cancellationId))!, paymentViewerFor(actor));
}
