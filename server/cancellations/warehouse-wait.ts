import type { Prisma } from "@/server/generated/prisma/client";
import { numbered } from "@/server/db/numbers";
import type { RefundLineBreakdown, RefundLineState } from "@/server/domain/refund";
import { writeEvent } from "@/server/events/outbox";
import { enqueueJob, TASKS } from "@/server/jobs/queue";
import { addTimeline, productNames } from "./timeline";

/*
 * SPEC §11, the cancellation's side of the wait for the warehouse: at submit the lines with units
 * from the warehouse are recorded with their snapshot, and after any approval the cancellation
 * goes to awaiting_warehouse with the request job queued in the same transaction. Asking the
 * warehouse and applying its answer is the inventory module's (server/inventory/warehouse-cancellation.ts).
 */

type Tx = Prisma.TransactionClient;

export const WAREHOUSE_REQUEST_MAX_ATTEMPTS = 25;

/** At submit, in its transaction: one row per line with units from the warehouse, with the line before the hold. */
export async function recordWarehouseLines(
  tx: Tx,
  cancellationId: string,
  lines: readonly Pick<RefundLineBreakdown, "lineId" | "fromWarehouse">[],
  order: { lines: readonly (RefundLineState & { id: string; sku: string; locationId: string })[] },
): Promise<number> {
  const rows = lines.filter((l) => l.fromWarehouse > 0);
  for (const l of rows) {
    const line = order.lines.find((o) => o.lineId === l.lineId)!;
    const { id, sku, locationId, ...snapshot } = line;
    await tx.warehouseCancellationLine.create({
      data: { cancellationId, orderLineId: id, lineId: l.lineId, sku, locationId, requested: l.fromWarehouse, snapshot: { ...snapshot } },
    });
  }
  return rows.length;
}

/** Whether the cancellation must ask the warehouse before its saga runs. */
export function needsWarehouse(items: readonly { fromWarehouse: number }[]): boolean {
  return items.some((i) => i.fromWarehouse > 0);
}

/** After submit or approval, in that transaction: the wait starts and the request job is queued with it. */
export async function startWarehouseWait(tx: Tx, c: { id: string; orderId: string; correlationId: string }): Promise<void> {
  const lines = numbered(await tx.warehouseCancellationLine.findMany({ where: { cancellationId: c.id }, orderBy: { lineId: "asc" } }));
  await tx.cancellation.update({ where: { id: c.id }, data: { status: "awaiting_warehouse", awaitingWarehouseSince: new Date() } });
  const products = await productNames(tx, lines.map((l) => l.orderLineId));
  await addTimeline(tx, c.id, "warehouse", "requested", {
    kind: "warehouse_requested",
    lines: lines.map((l) => ({ lineId: l.lineId, sku: l.sku, product: products.get(l.orderLineId) ?? "", quantity: l.requested, locationId: l.locationId })),
  });
  await writeEvent(tx, "WarehouseCancellationRequested", {
    orderId: c.orderId,
    correlationId: c.correlationId,
    payload: { cancellationId: c.id, lines: lines.map((l) => ({ orderLineId: l.lineId, sku: l.sku, locationId: l.locationId, quantity: l.requested })) },
  });
  await enqueueJob(tx, TASKS.warehouseUnreserve, { cancellationId: c.id }, { jobKey: `warehouse:${c.id}`, maxAttempts: WAREHOUSE_REQUEST_MAX_ATTEMPTS });
}
