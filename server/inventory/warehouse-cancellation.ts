import { recordAudit } from "@/server/audit/record-audit";
import { addTimeline, productNames } from "@/server/cancellations/timeline";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import type { TimelineData } from "@/server/domain/timeline-entry";
import type { RefundLineState } from "@/server/domain/refund";
import { settleWarehouseAnswer } from "@/server/domain/warehouse-answer";
import { writeEvent } from "@/server/events/outbox";
import type { Prisma } from "@/server/generated/prisma/client";
import { applyOrderChange } from "@/server/orders/apply-order-change";
import { lockOrderAndCancellation, type SagaCancellation } from "@/server/cancellations/lock-cancellation";
import { sagaQueue } from "@/server/cancellations/saga-queue";
import { ProviderError } from "@/server/payments/resilience";
import type { TWarehouseAnswer, Warehouse } from "./port";

/*
 * SPEC §11, the wait for the warehouse. A cancellation that names released units holds them at
 * submit (they leave `released` for `pendingCancel`) and, after any approval, waits in
 * awaiting_warehouse: a job asks the warehouse to stop them, the warehouse answers per line
 * (callback or queue; duplicates change nothing), and the answer resizes the cancellation from the
 * snapshot taken with the hold before the saga's payment steps run. No answer within
 * WAREHOUSE_CONFIRM_TIMEOUT counts as refused. Every state lives in PostgreSQL, so a killed worker
 * loses nothing: the request job, the answer and the timeout all find it there.
 */

type Tx = Prisma.TransactionClient;

/**
 * The request job: POST /wm/inventory/unreserve under the cancellation's id (a repeat is the same
 * request to the warehouse). A transient failure throws, and the job is retried with backoff until
 * the timeout ends the wait; a definitive no from the warehouse counts as refused for every line.
 */
export async function sendUnreserveRequest({ db, warehouse }: { db: Db; warehouse: Warehouse }, cancellationId: string): Promise<"sent" | "refused" | "not_waiting"> {
  const c = await db.cancellation.findUnique({ where: { id: cancellationId }, include: { warehouseLines: { orderBy: { lineId: "asc" } } } }).then((r) => r && numbered(r));
  if (!c || c.status !== "awaiting_warehouse") return "not_waiting";
  const request = { requestId: c.id, orderId: c.orderId, lines: c.warehouseLines.map((l) => ({ lineId: l.lineId, sku: l.sku, locationId: l.locationId, quantity: l.requested })) };
  try {
    await warehouse.unreserve(request);
  } catch (error) {
    if (error instanceof ProviderError && error.kind === "permanent") {
      await answerAsRefused(db, c.id, "refused", { kind: "warehouse_refused_request", message: error.message });
      return "refused";
    }
    throw error;
  }
  await db.$transaction(async (tx) => {
    const updated = await tx.cancellation.updateMany({ where: { id: c.id, warehouseRequestedAt: null }, data: { warehouseRequestedAt: new Date() } });
    if (updated.count === 1) await addTimeline(tx, c.id, "warehouse", "sent", { kind: "warehouse_sent" });
  });
  return "sent";
}

export type AnswerVia = "callback" | "queue" | "timeout" | "request";

/**
 * The warehouse's answer, from its callback or its queue: each line is answered once (a duplicate
 * or a late copy over the other channel changes nothing); when every line is answered the
 * cancellation is resized and goes on to its saga. `unknown`: no such request of ours.
 */
export async function applyWarehouseAnswer(db: Db, answer: TWarehouseAnswer, via: AnswerVia): Promise<"applied" | "ignored" | "unknown"> {
  return db.$transaction(async (tx) => {
    const found = await tx.cancellation.findUnique({ where: { id: answer.requestId }, select: { orderId: true } });
    if (!found || found.orderId !== answer.orderId) return "unknown";
    const c = await lockOrderAndCancellation(tx, answer.requestId);
    if (c.status !== "awaiting_warehouse") return "ignored";
    const answers = answer.lines.map((l) => ({ lineId: l.lineId, stopped: l.stopped, outcome: null }));
    return (await recordAnswers(tx, c, answers, answer.messageId, via)) ? "applied" : "ignored";
  });
}

/** Every wait older than `timeoutMs`: the lines not answered count as refused (outcome timed_out). */
export async function timeOutWarehouseWaits(db: Db, timeoutMs: number, now = new Date()): Promise<number> {
  const due = await db.cancellation.findMany({
    where: { status: "awaiting_warehouse", awaitingWarehouseSince: { lte: new Date(now.getTime() - timeoutMs) } },
    select: { id: true },
    take: 100,
  });
  let n = 0;
  for (const { id } of due) {
    if (await answerAsRefused(db, id, "timed_out", { kind: "warehouse_timed_out", minutes: Math.round(timeoutMs / 60_000) })) n += 1;
  }
  return n;
}

async function answerAsRefused(db: Db, cancellationId: string, outcome: "refused" | "timed_out", detail: TimelineData): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const c = await lockOrderAndCancellation(tx, cancellationId);
    if (c.status !== "awaiting_warehouse") return false;
    await addTimeline(tx, c.id, "warehouse", outcome, detail);
    const open = await tx.warehouseCancellationLine.findMany({ where: { cancellationId, outcome: null }, select: { lineId: true } });
    return recordAnswers(tx, c, open.map((l) => ({ lineId: l.lineId, stopped: 0, outcome })), null, outcome === "timed_out" ? "timeout" : "request");
  });
}

function outcomeOf(stopped: number, requested: number): "confirmed" | "partial" | "refused" {
  return stopped >= requested ? "confirmed" : stopped > 0 ? "partial" : "refused";
}

/** Records the lines not answered yet; once none is left open, settles. Returns whether anything changed. */
async function recordAnswers(
  tx: Tx,
  c: SagaCancellation,
  answers: { lineId: string; stopped: number; outcome: "timed_out" | "refused" | null }[],
  messageId: string | null,
  via: AnswerVia,
): Promise<boolean> {
  const lines = numbered(await tx.warehouseCancellationLine.findMany({ where: { cancellationId: c.id } }));
  const products = await productNames(tx, lines.map((l) => l.orderLineId));
  let changed = false;
  for (const a of answers) {
    const line = lines.find((l) => l.lineId === a.lineId);
    if (!line || line.outcome !== null) continue;
    // The warehouse cannot stop more than it was asked to.
    const stopped = Math.min(Math.max(0, a.stopped), line.requested);
    const outcome = a.outcome ?? outcomeOf(stopped, line.requested);
    await tx.warehouseCancellationLine.update({ where: { id: line.id }, data: { stopped, outcome, messageId, answeredAt: new Date() } });
    Object.assign(line, { stopped, outcome });
    changed = true;
    await addTimeline(tx, c.id, "warehouse", outcome, {
      kind: "warehouse_line_answered",
      line: { lineId: line.lineId, sku: line.sku, product: products.get(line.orderLineId) ?? "", quantity: line.requested, locationId: line.locationId },
      requested: line.requested,
      stopped,
      via,
    });
  }
  if (!changed || lines.some((l) => l.outcome === null)) return changed;
  await settle(tx, c, lines);
  return true;
}

async function settle(tx: Tx, c: SagaCancellation, lines: { lineId: string; requested: number; stopped: number | null; outcome: string | null; sku: string; locationId: string; snapshot: unknown }[]) {
  const pending = c.allocations.filter((a) => a.status === "pending" && a.tender);
  const items = [...c.items].sort((a, b) => a.lineId.localeCompare(b.lineId));
  const settlement = settleWarehouseAnswer(
    {
      items: items.map((i) => ({ ...i, snapshot: lines.find((l) => l.lineId === i.lineId)?.snapshot as RefundLineState })),
      allocations: pending.map((a) => ({ tenderId: a.tender!.tenderId, operation: a.operation, amount: a.amount })),
      shipping: c.shipping,
      shippingTax: c.shippingTax,
      shippingWaived: c.shippingWaived,
      shippingTaxWaived: c.shippingTaxWaived,
      noRefund: c.overrideNoRefund,
    },
    new Map(lines.map((l) => [l.lineId, l.stopped ?? 0])),
  );
  await applyOrderChange(tx, c.orderId, settlement.change);
  for (const [index, item] of items.entries()) {
    const now = settlement.items[index]!;
    if (now.quantity === 0) await tx.cancellationItem.delete({ where: { id: item.id } });
    else {
      await tx.cancellationItem.update({
        where: { id: item.id },
        data: { quantity: now.quantity, subtotal: now.subtotal, discount: now.discount, merchandise: now.merchandise, tax: now.tax, total: now.total, waivedMerchandise: now.waivedMerchandise, waivedTax: now.waivedTax, fromWarehouse: 0 },
      });
    }
  }
  for (const [index, a] of pending.entries()) {
    const amount = settlement.allocationAmounts[index]!;
    if (amount === 0) await tx.cancellationAllocation.delete({ where: { id: a.id } });
    else if (amount !== a.amount) await tx.cancellationAllocation.update({ where: { id: a.id }, data: { amount } });
  }
  const t = settlement.totals;
  const nothingLeft = settlement.items.every((i) => i.quantity === 0);
  await tx.cancellation.update({
    where: { id: c.id },
    data: {
      subtotal: t.subtotal,
      discount: t.discount,
      tax: t.tax,
      shipping: t.shipping,
      shippingTax: t.shippingTax,
      total: t.total,
      shippingWaived: settlement.shippingWaived,
      shippingTaxWaived: settlement.shippingTaxWaived,
      overrideShippingAdded: t.shipping + t.shippingTax === 0 ? 0 : c.overrideShippingAdded,
      warehouseAnsweredAt: new Date(),
      // SPEC §6: awaiting_warehouse goes on to processing whatever the answer; a cancellation left
      // with no unit is ended `failed` by its saga (run-saga.ts), the only way out of processing.
      status: "processing",
    },
  });

  const event = { orderId: c.orderId, correlationId: c.correlationId };
  const confirmed = lines.filter((l) => (l.stopped ?? 0) > 0);
  const refused = lines.filter((l) => (l.stopped ?? 0) < l.requested);
  if (confirmed.length > 0) {
    await writeEvent(tx, "WarehouseCancellationConfirmed", {
      ...event,
      payload: { cancellationId: c.id, refundAmount: t.total, currency: c.currency, lines: confirmed.map((l) => ({ orderLineId: l.lineId, sku: l.sku, locationId: l.locationId, requested: l.requested, stopped: l.stopped ?? 0 })) },
    });
  }
  if (refused.length > 0) {
    await writeEvent(tx, "WarehouseCancellationRefused", {
      ...event,
      payload: {
        cancellationId: c.id,
        lines: refused.map((l) => ({ orderLineId: l.lineId, sku: l.sku, locationId: l.locationId, requested: l.requested, notStopped: l.requested - (l.stopped ?? 0), reason: l.outcome === "timed_out" ? "timed_out" : "refused" })),
      },
    });
  }
  await recordAudit(tx, {
    actorType: "system",
    action: "cancellation.warehouse_answered",
    entity: "cancellation",
    entityId: c.id,
    orderId: c.orderId,
    channel: "warehouse",
    details: { lines: lines.map((l) => ({ lineId: l.lineId, requested: l.requested, stopped: l.stopped, outcome: l.outcome })), upTo: c.total, total: t.total },
  });
  await addTimeline(tx, c.id, "warehouse", "answered", { kind: "warehouse_settled", currency: c.currency, total: t.total, upTo: c.total, nothingLeft });
  await sagaQueue().enqueue(tx, c.id, c.orderId);
}
