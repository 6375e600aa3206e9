import { z } from "zod";
import { recordAudit } from "@/server/audit/record-audit";
import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { writeEvent } from "@/server/events/outbox";
import { enqueueSaga } from "@/server/saga/jobs";
import { lockVisibleCancellation } from "./lock-visible-cancellation";
import { type CancellationView, loadCancellation, toCancellationView } from "./cancellation-view";
import { releaseHolds } from "./release-holds";
import { addTimeline } from "./timeline";
import { paymentViewerFor } from "@/server/payments/payment-view";

export const ZApproveSchema = z.object({ note: z.string().trim().max(1000).optional() }).default({});
export const ZRejectSchema = z.object({ note: z.string().trim().min(1, "a rejection needs a note").max(1000) });

/**
 * Approve or reject a held cancellation. Four eyes: the requester never
 * decides their own. A store manager decides only for their stores and up to
 * their limit; above it a system admin does.
 */
export async function decideApproval(
  { db, actor }: { db: Db; actor: Actor },
  cancellationId: string,
  decision: "approved" | "rejected",
  input: unknown,
): Promise<CancellationView> {
  const { note } = decision === "rejected" ? ZRejectSchema.parse(input) : ZApproveSchema.parse(input);
  if (!hasPermission(actor, "approve_cancellations")) throw new AppError(ErrorCode.FORBIDDEN, "Only store managers and admins decide approvals.");

  await db.$transaction(async (tx) => {
    const c = await lockVisibleCancellation(tx, actor, cancellationId);
    if (c.requestedById === actor.userId) throw new AppError(ErrorCode.SELF_APPROVAL_FORBIDDEN, "You requested this cancellation, so someone else must decide it.");
    if (c.status !== "pending_approval") {
      throw new AppError(ErrorCode.INVALID_STATE, `This cancellation was already decided: it is ${c.status}.`, { status: c.status });
    }
    if (c.approverRole === "system_admin" && actor.role !== "system_admin") {
      throw new AppError(ErrorCode.FORBIDDEN, "This cancellation is above the store-manager limit: a system admin decides it.");
    }
    await tx.approval.create({ data: { cancellationId: c.id, requiredRole: c.approverRole ?? "store_manager", decision, decidedById: actor.userId, note: note || null } });
    const event = { orderId: c.orderId, correlationId: c.correlationId };
    if (decision === "approved") {
      await tx.cancellation.update({ where: { id: c.id }, data: { status: "processing" } });
      await addTimeline(tx, c.id, "approval", "approved", `Approved by ${actor.name}${note ? `: ${note}` : ""}`);
      await writeEvent(tx, "CancellationApproved", { ...event, payload: { cancellationId: c.id, approvedBy: actor.userId } });
      await enqueueSaga(tx, c.id, c.orderId);
    } else {
      await releaseHolds(tx, c);
      await tx.cancellation.update({ where: { id: c.id }, data: { status: "rejected" } });
      await addTimeline(tx, c.id, "approval", "rejected", `Rejected by ${actor.name}: ${note}`);
      await writeEvent(tx, "CancellationRejected", { ...event, payload: { cancellationId: c.id, rejectedBy: actor.userId, note } });
    }
    await recordAudit(tx, {
      actorType: actor.kind,
      actorId: actor.userId,
      action: `cancellation.${decision}`,
      entity: "cancellation",
      entityId: c.id,
      orderId: c.orderId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      channel: actor.channel,
      details: { note: note ?? null },
    });
  });
  return toCancellationView((await loadCancellation(db, cancellationId))!, paymentViewerFor(actor));
}
