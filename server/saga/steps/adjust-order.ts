import type { Prisma } from "@/server/generated/prisma/client";
import { getBusinessRules } from "@/server/rules/business-rules";
import { addTimeline } from "@/server/cancellations/timeline";
import { toRefundState, toTenderStates } from "@/server/cancellations/to-domain";
import { allocateRefund, type AllocationEntry } from "@/server/domain/allocation";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { formatAmount } from "@/server/domain/money";
import { applyCancellation, holdCancellation } from "@/server/domain/order-transitions";
import { deriveOrderStatus } from "@/server/domain/quantities";
import { shippingAdditionHolding, shippingDueOnFullCancellation, type ShippingAddition } from "@/server/domain/refund";
import { applyLineChanges, applyOrderChange, applyShippingChange } from "@/server/orders/apply-order-change";
import { loadOrderAggregate, type LoadedOrder } from "@/server/orders/load-order";
import { writeEvent } from "@/server/events/outbox";
import { raiseIncident } from "@/server/notifications/ops-alerts";
import { recordManualTx } from "./settle-payment";
import { loadSagaCancellation, lockOrderAndCancellation, type SagaCancellation, type SagaContext } from "../saga-context";

/**
 * Step 1: the held units become cancelled and the order's status follows. When that leaves the
 * order fully cancelled with its shipping unrefunded (the cancellation that took the last units
 * did so while another held units, SPEC §3), this saga adds the shipping refund. Returns the
 * cancellation as read under its lock (its allocations as they are after this step).
 *
 * `andThen` runs in the same transaction once the adjustment is recorded, unless the shipping was
 * added (the saga opens its first payment's intent there, run-saga.ts); what it returns comes
 * back as `then`.
 */
export async function adjustOrder<T>(ctx: SagaContext, cancellationId: string, andThen?: (tx: Prisma.TransactionClient, c: SagaCancellation) => Promise<T>): Promise<{ c: SagaCancellation; then?: T }> {
  return ctx.db.$transaction(async (tx) => {
    const c = await lockOrderAndCancellation(tx, cancellationId);
    if (c.orderAdjustedAt) return { c };
    ctx.inject.maybeFail("order_adjustment");
    const change = applyCancellation(c.items);
    await applyLineChanges(tx, c.orderId, change.lines);
    const order = (await loadOrderAggregate(tx, c.orderId)).order!;
    const status = order.status === "COMPLETED" ? "COMPLETED" : deriveOrderStatus(order.lines);
    await applyShippingChange(tx, c.orderId, change.shipping, { status });
    await tx.cancellation.update({ where: { id: c.id }, data: { orderAdjustedAt: new Date() } });
    await addTimeline(tx, c.id, "order_adjustment", "succeeded", { kind: "order_adjusted", orderStatus: status });
    await writeEvent(tx, "OrderQuantityAdjusted", {
      orderId: c.orderId,
      correlationId: c.correlationId,
      payload: { cancellationId: c.id, orderStatus: status, items: c.items.map((i) => ({ orderLineId: i.lineId, quantity: i.quantity })) },
    });
    // The rules are read only when something could be due (most adjustments leave units uncancelled).
    const state = toRefundState(order);
    const due = shippingDueOnFullCancellation(state, "full_cancellation") ? shippingDueOnFullCancellation(state, (await getBusinessRules(tx)).rules.shippingPolicy) : null;
    if (!due) return { c, then: andThen ? await andThen(tx, c) : undefined };
    await addShipping(tx, c, order, due);
    return { c: await loadSagaCancellation(tx, c.id) };
  });
}

/**
 * The shipping as this cancellation's own allocation, held on the tenders like any other (the
 * payment step settles it through the provider path under its own idempotency key), recorded on
 * the cancellation, in the timeline and as ShippingRefundAdded. Under a no-refund override the
 * shipping is settled without refund, as computeRefund settles it for such a cancellation.
 */
async function addShipping(tx: Prisma.TransactionClient, c: SagaCancellation, order: LoadedOrder, due: ShippingAddition): Promise<void> {
  const noRefund = c.overrideNoRefund;
  let allocation: AllocationEntry[] = [];
  let unrefundable: AppError | null = null;
  if (!noRefund) {
    try {
      allocation = allocateRefund(due.total, toTenderStates(order), c.refundMethod);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== ErrorCode.INSUFFICIENT_REFUNDABLE) throw error;
      unrefundable = error;
    }
  }
  const change = holdCancellation(shippingAdditionHolding(due, allocation));
  await applyOrderChange(tx, c.orderId, change);
  const first = c.allocations.length === 0 ? 0 : Math.max(...c.allocations.map((a) => a.position)) + 1;
  const tenderIds = new Map(order.tenders.map((t) => [t.tenderId, t.id]));
  if (allocation.length) {
    await tx.cancellationAllocation.createMany({
      data: allocation.map((a, i) => ({ cancellationId: c.id, tenderId: tenderIds.get(a.tenderId)!, position: first + i, operation: a.operation, amount: a.amount, shippingAdded: true })),
    });
  }
  if (unrefundable) await handShippingToPerson(tx, c, due, first, unrefundable);
  // Under noRefund the added shipping is settled without refund (overrideNoRefund says which).
  await tx.cancellation.update({ where: { id: c.id }, data: { shippingAdded: due.shipping, shippingTaxAdded: due.shippingTax } });
  await addTimeline(tx, c.id, "shipping_refund", "added", { kind: "shipping_added", currency: c.currency, shipping: due.shipping, shippingTax: due.shippingTax, noRefund, unrefundable: unrefundable !== null });
  await writeEvent(tx, "ShippingRefundAdded", {
    orderId: c.orderId,
    correlationId: c.correlationId,
    payload: {
      cancellationId: c.id,
      currency: c.currency,
      shipping: due.shipping,
      shippingTax: due.shippingTax,
      amount: noRefund ? 0 : due.total,
      settledWithoutRefund: noRefund ? due.total : 0,
      allocation: unrefundable ? [{ tenderId: null, operation: "manual", amount: due.total }] : allocation.map((a) => ({ tenderId: a.tenderId, operation: a.operation, amount: a.amount })),
    },
  });
}

/**
 * The tenders cannot take the shipping (money moved outside this system): it becomes a manual
 * allocation on no tender, handed to a person by the payment step's manual path (a manual-refund
 * task; the cancellation reads as waiting for it until it is done), and an ops incident.
 */
async function handShippingToPerson(tx: Prisma.TransactionClient, c: SagaCancellation, due: ShippingAddition, position: number, error: AppError): Promise<void> {
  const { id } = await tx.cancellationAllocation.create({ data: { cancellationId: c.id, tenderId: null, position, operation: "manual", amount: due.total, shippingAdded: true } });
  await recordManualTx(tx, c.id, id, `Shipping owed on the fully cancelled order: ${error.message}`, { origin: "shipping_unrefundable" });
  await raiseIncident(tx, {
    kind: "shipping_unrefundable",
    subject: c.id,
    summary: `Cancellation ${c.id}: the shipping of ${formatAmount(due.total, c.currency)} ${c.currency} owed on the fully cancelled order cannot go back to its payments; a manual-refund task waits`,
    details: { cancellationId: c.id, orderId: c.orderId, amount: due.total, currency: c.currency, reason: error.message },
  });
}
