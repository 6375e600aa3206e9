import { z } from "zod";
import { recordAudit } from "@/server/audit/record-audit";
import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { decisionBlockFor } from "@/server/domain/decision-rules";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { writeEvent } from "@/server/events/outbox";
import { needsWarehouse, startWarehouseWait } from "./warehouse-wait";
import { lockVisibleCancellation } from "./lock-visible-cancellation";
import { type CancellationView, loadCancellation, toCancellationView } from "./cancellation-view";
import { releaseHolds } from "./release-holds";
import { sagaQueue } from "./saga-queue";
import { addTimeline, timelineActor } from "./timeline";
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
    const block = decisionBlockFor(actor, c);
    if (block === "own_request") throw new AppError(ErrorCode.SELF_APPROVAL_FORBIDDEN, "You requested this cancellation, so someone else must decide it.");
    if (block === "decided") {
      throw new AppError(ErrorCode.INVALID_STATE, `This cancellation was already decided: it is ${c.status}.`, { status: c.status });
    }
    if (block === "needs_system_admin") {
      const overManagerLimit = c.approvalReasons.includes("manager_limit");
      throw new AppError(
        ErrorCode.MANAGER_LIMIT_EXCEEDED,
        overManagerLimit
          ? "This cancellation is above the store-manager limit: only a system admin may decide it."
          : "No store-manager limit is configured for this currency: only a system admin may decide this cancellation.",
        { approverRole: "system_admin", reasons: c.approvalReasons },
      );
    }
    await tx.approval.create({ data: { cancellationId: c.id, requiredRole: c.approverRole ?? "store_manager", decision, decidedById: actor.userId, note: note || null } });
    const event = { orderId: c.orderId, correlationId: c.correlationId };
    if (decision === "approved") {
      await addTimeline(tx, c.id, "approval", "approved", { kind: "approval_decided", decision: "approved", actor: timelineActor(actor), note: note || null });
      await writeEvent(tx, "CancellationApproved", { ...event, payload: { cancellationId: c.id, approvedBy: actor.userId } });
      // SPEC §11: after the approval, released units wait for the warehouse before any money moves.
      if (needsWarehouse(c.items)) await startWarehouseWait(tx, c);
      else {
        await tx.cancellation.update({ where: { id: c.id }, data: { status: "processing" } });
        await sagaQueue().enqueue(tx, c.id, c.orderId);
      }
    } else {
      await releaseHolds(tx, c);
      await tx.cancellation.update({ where: { id: c.id }, data: { status: "rejected" } });
      await addTimeline(tx, c.id, "approval", "rejected", { kind: "approval_decided", decision: "rejected", actor: timelineActor(actor), note: note || null });
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
