import { randomUUID } from "node:crypto";
import type { Actor } from "@/server/auth/permissions";
import { recordAudit } from "@/server/audit/record-audit";
import { getConfig } from "@/server/config";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { committedShipping, type RefundOverrideEffect } from "@/server/domain/refund";
import { holdCancellation } from "@/server/domain/order-transitions";
import { writeEvent } from "@/server/events/outbox";
import type { Prisma } from "@/server/generated/prisma/client";
import { applyOrderChange } from "@/server/orders/apply-order-change";
import { needsWarehouse, recordWarehouseLines, startWarehouseWait } from "./warehouse-wait";
import { toRefundState } from "./to-domain";
import { type CancellationView, loadCancellation, toCancellationView } from "./cancellation-view";
import { type TCancellationRequest, ZCancellationRequestSchema } from "./cancellation-request.schema";
import { claimKey, commitAnswer, completeAnswer, idempotencyScope, type KeyClaim, releaseClaim, requestHash, validateKey } from "./idempotency";
import { approvalNeededFacts, approvalView, type CancellationPlan, checkOverrides, planCancellation, toPreviewView } from "./preview-cancellation";
import { submitAdmission } from "./admission";
import { sagaQueue } from "./saga-queue";
import { subscribeToStatus } from "./status-changes";
import { addLogContext, logger } from "@/server/observability/logger";
import { metrics, outcomeOfError } from "@/server/observability/metrics";
import { annotateSpan, withSpan } from "@/server/observability/spans";
import { addTimeline, timelineActor } from "./timeline";
import { paymentViewerFor } from "@/server/payments/payment-view";

const TERMINAL = new Set(["completed", "failed", "rejected", "expired", "withdrawn", "pending_approval", "awaiting_warehouse"]);

export interface SubmitDeps {
  db: Db;
  actor: Actor;
}

export interface SubmitOptions {
  /** Required (SPEC §6); typed loosely because adapters pass what the caller sent. */
  idempotencyKey: string | null | undefined;
  /** Load shedding (default: the process's submitAdmission). */
  admission?: { acquire(): Promise<() => void> };
  /** How long to wait for the saga before answering `processing`; 0 answers at once. */
  waitMs?: number;
}

export interface SubmitAnswer {
  status: number;
  body: CancellationView;
  replayed: boolean;
}

/**
 * SPEC §6.1: one transaction validates, locks the order, checks cancellable
 * quantities, computes the refund with the preview's code, stores the
 * cancellation, holds its units and money, and writes the audit entry, the
 * outbox events and the saga's first job. The Idempotency-Key is claimed
 * before it and completed with the answer sent, so a same-key request gets
 * exactly that answer, or 409 while this one runs.
 */
export async function submitCancellation(deps: SubmitDeps, orderId: string, input: unknown, opts: SubmitOptions): Promise<SubmitAnswer> {
  addLogContext({ orderId });
  return withSpan("cancellation submit", { "pc.order_id": orderId }, async () => {
    try {
      const answer = await submit(deps, orderId, input, opts);
      metrics().submits.inc({ outcome: answer.replayed ? "replayed" : answer.body.status });
      annotateSpan({ "pc.cancellation_id": answer.body.cancellationId, "pc.status": answer.body.status });
      addLogContext({ cancellationId: answer.body.cancellationId });
      logger().info({ status: answer.body.status, replayed: answer.replayed }, "cancellation submitted");
      return answer;
    } catch (error) {
      metrics().submits.inc({ outcome: outcomeOfError(error) });
      throw error;
    }
  });
}

async function submit({ db, actor }: SubmitDeps, orderId: string, input: unknown, opts: SubmitOptions): Promise<SubmitAnswer> {
  const key = validateKey(opts.idempotencyKey);
  const request = ZCancellationRequestSchema.parse(input);
  checkOverrides(actor, request, { requireNote: true });
  // Under a burst, beyond what the pool can serve the request is answered 429 before it claims anything.
  const releaseSlot = await (opts.admission ?? submitAdmission).acquire();
  const waitMs = opts.waitMs ?? getConfig().submitWaitMs;
  let stored: { id: string; view: CancellationView };
  let claim: KeyClaim;
  try {
    const claimed = await claimKey(db, idempotencyScope(actor), key, requestHash({ orderId, request }));
    if (claimed.kind === "replay") return { status: claimed.answer.status, body: claimed.answer.body as CancellationView, replayed: true };
    claim = claimed.claim;
    stored = await storeInTransaction(db, actor, orderId, request, key, claim, { final: waitMs <= 0 });
  } finally {
    releaseSlot();
  }

  // ?wait=0: the answer committed with the cancellation (its key already completed) is the one
  // sent, with no read or write after the commit.
  if (waitMs <= 0) return { status: 201, body: stored.view, replayed: false };
  const view = await waitForSaga(db, actor, stored.id, waitMs);
  await completeAnswer(db, claim, { status: 201, body: view });
  return { status: 201, body: view, replayed: false };
}

async function storeInTransaction(
  db: Db,
  actor: Actor,
  orderId: string,
  request: TCancellationRequest,
  key: string,
  claim: KeyClaim,
  opts: { final: boolean },
): Promise<{ id: string; view: CancellationView }> {
  try {
    return await db.$transaction(
      async (tx) => {
        // The authoritative checks run here, under the order's row lock: concurrent
        // submits for the same units queue on the lock and see each other's holds.
        const plan = await planCancellation(tx, actor, orderId, request, { lock: true, cacheFrom: db });
        if (request.previewVersion !== undefined && request.previewVersion !== plan.order.version) {
          throw new AppError(ErrorCode.STALE_PREVIEW, "The order changed since this preview; here is a fresh one.", { preview: toPreviewView(plan) });
        }
        const id = await storeCancellation(tx, actor, plan, request, key);
        const created = await loadCancellation(tx, id);
        const view = toCancellationView(created!, paymentViewerFor(actor));
        await commitAnswer(tx, claim, { status: 201, body: view }, { final: opts.final });
        await recordAudit(tx, {
          actorType: actor.kind,
          actorId: actor.userId,
          action: "cancellation.requested",
          entity: "cancellation",
          entityId: id,
          orderId: plan.order.id,
          ip: actor.ip,
          userAgent: actor.userAgent,
          channel: actor.channel,
          details: { total: plan.breakdown.totals.total, currency: plan.order.currency, status: created!.status, apiKeyId: actor.apiKeyId ?? null, notifyCustomer: plan.request.notifyCustomer ?? true },
        });
        if (plan.breakdown.override) {
          await recordAudit(tx, {
            actorType: actor.kind,
            actorId: actor.userId,
            action: "cancellation.override",
            entity: "cancellation",
            entityId: id,
            orderId: plan.order.id,
            ip: actor.ip,
            userAgent: actor.userAgent,
            channel: actor.channel,
            details: { ...overrideDetails(plan.breakdown.override), currency: plan.order.currency, note: request.note ?? null },
          });
        }
        return { id, view };
      },
      { timeout: 15_000, maxWait: 10_000 },
    );
  } catch (error) {
    // Nothing was stored: the key is free again, and the refusal is not an answer to replay.
    // Should the release itself fail, the claim's lease runs out and the key is taken over.
    await releaseClaim(db, claim).catch(() => {});
    throw error;
  }
}

async function storeCancellation(
  tx: Prisma.TransactionClient,
  actor: Actor,
  plan: CancellationPlan,
  request: TCancellationRequest,
  idempotencyKey: string,
): Promise<string> {
  const { order, breakdown, allocation, approval } = plan;
  const needsApproval = approval.required;
  const correlationId = randomUUID();
  const lineByLineId = new Map(order.lines.map((l) => [l.lineId, l]));
  const tenderByTenderId = new Map(order.tenders.map((t) => [t.tenderId, t]));
  const t = breakdown.totals;
  const override = breakdown.override;
  const committed = committedShipping(breakdown);

  const cancellation = await tx.cancellation.create({
    data: {
      orderId: order.id,
      status: needsApproval ? "pending_approval" : "processing",
      reason: request.reason,
      note: request.note || null,
      refundMethod: request.refundMethod,
      notifyCustomer: request.notifyCustomer ?? true,
      currency: order.currency,
      subtotal: t.subtotal,
      discount: t.discount,
      tax: t.tax,
      shipping: t.shipping,
      shippingTax: t.shippingTax,
      total: t.total,
      upToTotal: needsWarehouse(breakdown.lines) ? t.total : null,
      previewVersion: order.version,
      approvalRequired: needsApproval,
      approvalReasons: approval.reasons,
      approverRole: approval.approverRole,
      approvalFacts: needsApproval ? approvalView(plan) : undefined,
      overrideRefundShipping: override?.refundShipping ?? false,
      overrideNoRefund: override?.noRefund ?? false,
      overrideShippingAdded: override?.shippingAdded ?? 0,
      shippingWaived: override?.shippingWaived ?? 0,
      shippingTaxWaived: override?.shippingTaxWaived ?? 0,
      requestedById: actor.userId,
      apiKeyId: actor.apiKeyId ?? null,
      channel: actor.channel,
      idempotencyKey,
      correlationId,
      expiresAt: needsApproval ? new Date(Date.now() + plan.approvalExpiryHours * 3_600_000) : null,
      items: {
        create: breakdown.lines.map((l) => ({
          orderLineId: lineByLineId.get(l.lineId)!.id,
          lineId: l.lineId,
          quantity: l.quantity,
          subtotal: l.subtotal,
          discount: l.discount,
          merchandise: l.merchandise,
          tax: l.tax,
          total: l.total,
          waivedMerchandise: l.waivedMerchandise,
          waivedTax: l.waivedTax,
          fromWarehouse: l.fromWarehouse,
        })),
      },
      allocations: {
        create: allocation.map((a, position) => ({ tenderId: tenderByTenderId.get(a.tenderId)!.id, position, operation: a.operation, amount: a.amount })),
      },
    },
  });

  await applyOrderChange(tx, order.id, holdCancellation({ items: breakdown.lines, allocations: allocation, shipping: committed.shipping, shippingTax: committed.shippingTax }));
  // SPEC §11: the line before this hold is the snapshot the refund for the units the warehouse stops comes from.
  const snapshot = toRefundState(order).lines.map((l) => ({ ...l, ...pickLine(lineByLineId.get(l.lineId)!) }));
  const fromWarehouse = await recordWarehouseLines(tx, cancellation.id, breakdown.lines, { lines: snapshot });

  const event = { orderId: order.id, correlationId };
  const payload = { cancellationId: cancellation.id, refundAmount: t.total, currency: order.currency, items: breakdown.lines.map((l) => ({ orderLineId: l.lineId, quantity: l.quantity })) };
  await addTimeline(tx, cancellation.id, "requested", "accepted", { kind: "requested", actor: timelineActor(actor), channel: actor.channel.split(":")[0]!, notifyCustomer: request.notifyCustomer !== false });
  if (override) {
    await addTimeline(tx, cancellation.id, "override", "applied", {
      kind: "override_applied",
      actor: timelineActor(actor),
      currency: order.currency,
      noRefund: override.noRefund,
      waived: override.waived,
      shippingAdded: override.shippingAdded,
      note: request.note ?? null,
    });
  }
  await writeEvent(tx, "CancellationRequested", { ...event, payload: override ? { ...payload, overrides: overrideDetails(override) } : payload });
  if (needsApproval) {
    await addTimeline(tx, cancellation.id, "approval", "pending", approvalNeededFacts(plan));
    await writeEvent(tx, "CancellationApprovalRequested", { ...event, payload: { ...payload, reasons: approval.reasons, approverRole: approval.approverRole } });
  } else if (fromWarehouse > 0) {
    await startWarehouseWait(tx, { id: cancellation.id, orderId: order.id, correlationId });
  } else {
    await sagaQueue().enqueue(tx, cancellation.id, order.id);
  }
  return cancellation.id;
}

function pickLine(l: { id: string; sku: string; locationId: string }) {
  return { id: l.id, sku: l.sku, locationId: l.locationId };
}

function overrideDetails(o: RefundOverrideEffect) {
  return { refundShipping: o.refundShipping, noRefund: o.noRefund, shippingAdded: o.shippingAdded, notRefunded: o.waived };
}

/**
 * Waits until the saga reaches a resting state or the time is up: woken by the status trigger's
 * NOTIFY (server/cancellations/status-changes.ts), not by polling the database.
 */
async function waitForSaga(db: Db, actor: Actor, cancellationId: string, waitMs: number): Promise<CancellationView> {
  const deadline = Date.now() + Math.max(0, waitMs);
  const changes = waitMs > 0 ? subscribeToStatus(db, cancellationId) : null;
  try {
    for (;;) {
      const c = await loadCancellation(db, cancellationId);
      if (!c) throw new AppError(ErrorCode.INTERNAL, "The cancellation vanished.");
      if (!changes || TERMINAL.has(c.status) || Date.now() >= deadline) return toCancellationView(c, paymentViewerFor(actor));
      await changes.changed(deadline - Date.now());
    }
  } finally {
    changes?.stop();
  }
}
