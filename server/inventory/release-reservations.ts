import { numbered } from "@/server/db/numbers";
import { releaseReservations as planRelease } from "@/server/domain/inventory";
import type { Prisma } from "@/server/generated/prisma/client";
import { applyReservationChanges } from "@/server/orders/apply-order-change";
import { enqueueJob, FOLLOW_UP_PRIORITY, TASKS } from "@/server/jobs/queue";

export type ReleasedReservation = {
  orderLineId: string;
  locationId: string;
  sku: string;
  quantity: number;
};

/**
 * The inventory module's release of a cancellation's units: the reservations are freed at their
 * locations (the domain's transition, server/domain/inventory.ts, written by the one repository
 * function), and each release is announced to the warehouse as an adjustment on
 * `wm.inventory.adjustments`: the job is queued in this transaction, so a release is never lost
 * nor told twice (its key).
 */
export async function releaseReservations(
  tx: Prisma.TransactionClient,
  c: { id: string; orderId: string; correlationId: string; items: readonly { orderLineId: string; lineId: string; quantity: number }[] },
): Promise<ReleasedReservation[]> {
  const rows = numbered(await tx.inventoryReservation.findMany({ where: { orderLineId: { in: c.items.map((i) => i.orderLineId) } } }));
  const reservations = rows.map((r) => ({ reservationId: r.id, orderLineId: r.orderLineId, locationId: r.locationId, sku: r.sku, quantity: r.quantity, released: r.released }));
  const release = planRelease(c.items, reservations);
  await applyReservationChanges(tx, c.orderId, release.changes);
  const lineIds = new Map(c.items.map((i) => [i.orderLineId, i.lineId]));
  const released = release.released.map((r) => ({ orderLineId: lineIds.get(r.orderLineId)!, locationId: r.locationId, sku: r.sku, quantity: r.quantity }));
  if (released.length > 0) {
    await enqueueJob(
      tx,
      TASKS.warehouseAdjustment,
      { adjustmentId: `release:${c.id}`, orderId: c.orderId, correlationId: c.correlationId, cancellationId: c.id, reason: "cancellation", lines: released.map((r) => ({ ...r, delta: -r.quantity })) },
      { jobKey: `adjustment:${c.id}`, maxAttempts: 25, priority: FOLLOW_UP_PRIORITY },
    );
  }
  return released;
}
