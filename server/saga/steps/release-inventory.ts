import { addTimeline } from "@/server/cancellations/timeline";
import { writeEvent } from "@/server/events/outbox";
import type { Prisma } from "@/server/generated/prisma/client";
import { releaseReservations } from "@/server/inventory/release-reservations";
import { lockCancellation, type SagaCancellation, type SagaContext } from "../saga-context";

/** Step 3: the reservations of the cancelled units are released at their locations (server/inventory/). */
export async function releaseInventory(ctx: SagaContext, cancellationId: string): Promise<void> {
  await ctx.db.$transaction(async (tx) => releaseInventoryIn(ctx, tx, await lockCancellation(tx, cancellationId)));
}

/** Step 3 inside the caller's transaction, which holds the cancellation's lock. */
export async function releaseInventoryIn(ctx: SagaContext, tx: Prisma.TransactionClient, c: SagaCancellation): Promise<void> {
  if (c.inventoryReleasedAt) return;
  ctx.inject.maybeFail("inventory_release");
  const released = await releaseReservations(tx, c);
  await tx.cancellation.update({ where: { id: c.id }, data: { inventoryReleasedAt: new Date() } });
  // Product names, as the agent knows the lines (issue 15), not SKUs alone.
  const names = new Map(
    (await tx.orderLine.findMany({ where: { id: { in: c.items.map((i) => i.orderLineId) } }, select: { lineId: true, description: true } })).map((l) => [l.lineId, l.description]),
  );
  await addTimeline(tx, c.id, "inventory_release", "succeeded", {
    kind: "inventory_released",
    lines: released.map((r) => ({ lineId: r.orderLineId, sku: r.sku, product: names.get(r.orderLineId) ?? "", quantity: r.quantity, locationId: r.locationId })),
  });
  const byLine = new Map<string, number>();
  for (const r of released) byLine.set(r.orderLineId, (byLine.get(r.orderLineId) ?? 0) + r.quantity);
  await writeEvent(tx, "InventoryReleased", {
    orderId: c.orderId,
    correlationId: c.correlationId,
    payload: { cancellationId: c.id, released, quantities: [...byLine].map(([orderLineId, quantity]) => ({ orderLineId, quantity })) },
  });
}
