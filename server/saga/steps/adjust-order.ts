import { addTimeline } from "@/server/cancellations/timeline";
import { numbered } from "@/server/db/numbers";
import { applyCancellation } from "@/server/domain/order-transitions";
import { deriveOrderStatus } from "@/server/domain/quantities";
import { applyLineChanges, applyShippingChange } from "@/server/orders/apply-order-change";
import { writeEvent } from "@/server/events/outbox";
import { lockOrderAndCancellation, type SagaContext } from "../saga-context";

/** Step 1: the held units become cancelled and the order's status follows. */
export async function adjustOrder(ctx: SagaContext, cancellationId: string): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const c = await lockOrderAndCancellation(tx, cancellationId);
    if (c.orderAdjustedAt) return;
    ctx.inject.maybeFail("order_adjustment");
    const change = applyCancellation(c.items);
    await applyLineChanges(tx, c.orderId, change.lines);
    const lines = numbered(await tx.orderLine.findMany({ where: { orderId: c.orderId } }));
    const order = await tx.order.findUniqueOrThrow({ where: { id: c.orderId } });
    const status = order.status === "COMPLETED" ? "COMPLETED" : deriveOrderStatus(lines);
    await applyShippingChange(tx, c.orderId, change.shipping, { status });
    await tx.cancellation.update({ where: { id: c.id }, data: { orderAdjustedAt: new Date() } });
    await addTimeline(tx, c.id, "order_adjustment", "succeeded", `Order is now ${status}`);
    await writeEvent(tx, "OrderQuantityAdjusted", {
      orderId: c.orderId,
      correlationId: c.correlationId,
      payload: { cancellationId: c.id, orderStatus: status, items: c.items.map((i) => ({ orderLineId: i.lineId, quantity: i.quantity })) },
    });
  });
}
