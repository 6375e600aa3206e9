import { addTimeline } from "@/server/cancellations/timeline";
import { numbered } from "@/server/db/numbers";
import { writeEvent } from "@/server/events/outbox";
import { lockCancellation, type SagaContext } from "../saga-context";

/** Step 3: the reservations of the cancelled units are released at their locations. */
export async function releaseInventory(ctx: SagaContext, cancellationId: string): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const c = await lockCancellation(tx, cancellationId);
    if (c.inventoryReleasedAt) return;
    ctx.inject.maybeFail("inventory_release");
    const released: { orderLineId: string; locationId: string; sku: string; quantity: number }[] = [];
    for (const item of c.items) {
      let remaining = item.quantity;
      const reservations = numbered(await tx.inventoryReservation.findMany({ where: { orderLineId: item.orderLineId }, orderBy: { locationId: "asc" } }));
      for (const r of reservations) {
        const take = Math.min(remaining, r.quantity - r.released);
        if (take <= 0) continue;
        await tx.inventoryReservation.update({ where: { id: r.id }, data: { released: { increment: take } } });
        released.push({ orderLineId: item.lineId, locationId: r.locationId, sku: r.sku, quantity: take });
        remaining -= take;
      }
    }
    await tx.cancellation.update({ where: { id: c.id }, data: { inventoryReleasedAt: new Date() } });
    await addTimeline(tx, c.id, "inventory_release", "succeeded", released.map((r) => `${r.quantity} × ${r.sku} at ${r.locationId}`).join("; ") || "Nothing was reserved");
    await writeEvent(tx, "InventoryReleased", { orderId: c.orderId, correlationId: c.correlationId, payload: { cancellationId: c.id, released } });
  });
}
