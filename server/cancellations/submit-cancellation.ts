import { randomUUID } from "node:crypto";
import type { Actor } from "@/server/auth/permissions";
import { appendAuditSql } from "@/server/audit/record-audit";
import { getConfig } from "@/server/config";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { committedShipping, type RefundOverrideEffect } from "@/server/domain/refund";
import { holdCancellation } from "@/server/domain/order-transitions";
import { eventInsert, writeEvent } from "@/server/events/outbox";
import { Prisma } from "@/server/generated/prisma/client";
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
import { addTimeline, timelineActor, timelineEntrySql } from "./timeline";
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

  // The cancellation, its items and allocations, its first timeline entry, its CancellationRequested event and its audit entries: one statement.
  const now = new Date();
  const at = Prisma.sql`(${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3)`;
  const id = randomUUID();
  const status = needsApproval ? "pending_approval" : "processing";
  const audited = { actorType: actor.kind, actorId: actor.userId, entity: "cancellation", entityId: id, orderId: order.id, ip: actor.ip, userAgent: actor.userAgent, channel: actor.channel };
  const audit = [
    appendAuditSql(
      { ...audited, action: "cancellation.requested", details: { total: t.total, currency: order.currency, status, apiKeyId: actor.apiKeyId ?? null, notifyCustomer: request.notifyCustomer ?? true } },
      now,
    ),
    ...(override ? [appendAuditSql({ ...audited, action: "cancellation.override", details: { ...overrideDetails(override), currency: order.currency, note: request.note ?? null } }, now)] : []),
  ];
  const event = { orderId: order.id, correlationId };
  const payload = { cancellationId: id, refundAmount: t.total, currency: order.currency, items: breakdown.lines.map((l) => ({ orderLineId: l.lineId, quantity: l.quantity })) };
  const requestedEvent = eventInsert("CancellationRequested", { ...event, payload: override ? { ...payload, overrides: overrideDetails(override) } : payload });
  const requested = timelineEntrySql(id, "requested", "accepted", { kind: "requested", actor: timelineActor(actor), channel: actor.channel.split(":")[0]!, notifyCustomer: request.notifyCustomer !== false });
  const expiresAt = needsApproval ? new Date(Date.now() + plan.approvalExpiryHours * 3_600_000).toISOString() : null;
  const items = breakdown.lines.map((l) => ({
    order_line_id: lineByLineId.get(l.lineId)!.id,
    line_id: l.lineId,
    quantity: l.quantity,
    subtotal: l.subtotal,
    discount: l.discount,
    merchandise: l.merchandise,
    tax: l.tax,
    total: l.total,
    waived_merchandise: l.waivedMerchandise,
    waived_tax: l.waivedTax,
    from_warehouse: l.fromWarehouse,
  }));
  const allocations = allocation.map((a, position) => ({ tender_id: tenderByTenderId.get(a.tenderId)!.id, position, operation: a.operation, amount: a.amount }));
  await tx.$executeRaw`
    WITH new_cancellation AS (
      INSERT INTO cancellations (id, order_id, status, reason, note, refund_method, notify_customer, currency, subtotal, discount, tax, shipping, shipping_tax, total, up_to_total,
                                 preview_version, approval_required, approval_reasons, approver_role, approval_facts, override_refund_shipping, override_no_refund,
                                 override_shipping_added, shipping_waived, shipping_tax_waived, requested_by_id, api_key_id, channel, idempotency_key, correlation_id,
                                 expires_at, created_at, updated_at)
      VALUES (${id}::uuid, ${order.id}::uuid, ${status}::"CancellationStatus", ${request.reason}, ${request.note || null},
              ${request.refundMethod}::"RefundMethod", ${request.notifyCustomer ?? true}, ${order.currency}, ${t.subtotal}::bigint, ${t.discount}::bigint, ${t.tax}::bigint,
              ${t.shipping}::bigint, ${t.shippingTax}::bigint, ${t.total}::bigint, ${needsWarehouse(breakdown.lines) ? t.total : null}::bigint, ${order.version}::int,
              ${needsApproval}, ${approval.reasons}::text[], ${approval.approverRole ?? null}::"Role", ${needsApproval ? JSON.stringify(approvalView(plan)) : null}::jsonb,
              ${override?.refundShipping ?? false}, ${override?.noRefund ?? false}, ${override?.shippingAdded ?? 0}::bigint, ${override?.shippingWaived ?? 0}::bigint,
              ${override?.shippingTaxWaived ?? 0}::bigint, ${actor.userId}::uuid, ${actor.apiKeyId ?? null}::uuid, ${actor.channel}, ${idempotencyKey}, ${correlationId}::uuid,
              (${expiresAt}::timestamptz AT TIME ZONE 'UTC')::timestamp(3), ${at}, ${at})
      RETURNING id
    ), new_items AS (
      INSERT INTO cancellation_items (id, cancellation_id, order_line_id, line_id, quantity, subtotal, discount, merchandise, tax, total, waived_merchandise, waived_tax, from_warehouse)
      SELECT gen_random_uuid(), c.id, i.order_line_id, i.line_id, i.quantity, i.subtotal, i.discount, i.merchandise, i.tax, i.total, i.waived_merchandise, i.waived_tax, i.from_warehouse
        FROM new_cancellation c, jsonb_to_recordset(${JSON.stringify(items)}::jsonb)
             AS i(order_line_id uuid, line_id text, quantity bigint, subtotal bigint, discount bigint, merchandise bigint, tax bigint, total bigint, waived_merchandise bigint, waived_tax bigint, from_warehouse bigint)
    ), new_allocations AS (
      INSERT INTO cancellation_allocations (id, cancellation_id, tender_id, position, operation, amount, updated_at)
      SELECT gen_random_uuid(), c.id, a.tender_id, a.position, a.operation::"AllocationOperation", a.amount, ${at}
        FROM new_cancellation c, jsonb_to_recordset(${JSON.stringify(allocations)}::jsonb) AS a(tender_id uuid, position int, operation text, amount bigint)
    ), requested AS (${requested}), requested_event AS (${requestedEvent.sql})
    SELECT ${Prisma.join(audit)}`;
  await requestedEvent.enqueueJobs(tx);

  await applyOrderChange(tx, order.id, holdCancellation({ items: breakdown.lines, allocations: allocation, shipping: committed.shipping, shippingTax: committed.shippingTax }));
  // SPEC §11: the line before this hold is the snapshot the refund for the units the warehouse stops comes from.
  const snapshot = toRefundState(order).lines.map((l) => ({ ...l, ...pickLine(lineByLineId.get(l.lineId)!) }));
  const fromWarehouse = await recordWarehouseLines(tx, id, breakdown.lines, { lines: snapshot });

  if (override) {
    await addTimeline(tx, id, "override", "applied", {
      kind: "override_applied",
      actor: timelineActor(actor),
      currency: order.currency,
      noRefund: override.noRefund,
      waived: override.waived,
      shippingAdded: override.shippingAdded,
      note: request.note ?? null,
    });
  }
  if (needsApproval) {
    await addTimeline(tx, id, "approval", "pending", approvalNeededFacts(plan));
    await writeEvent(tx, "CancellationApprovalRequested", { ...event, payload: { ...payload, reasons: approval.reasons, approverRole: approval.approverRole } });
  } else if (fromWarehouse > 0) {
    await startWarehouseWait(tx, { id, orderId: order.id, correlationId });
  } else {
    await sagaQueue().enqueue(tx, id, order.id);
  }
  return id;
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
