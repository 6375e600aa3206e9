import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import type { Warehouse } from "./port";

/*
 * SPEC §11 / seed 3.3 "batch reconciliation": our count of units released to the warehouse per
 * line is compared with what GET /wm/inventory/status says it holds (released, picked or packed).
 * A difference is listed for an admin (Operations → Warehouse differences), never fixed silently.
 * Lines a cancellation is asking the warehouse about are skipped: their units are in flight.
 */

const BATCH = 100;

export async function reconcileInventory({ db, warehouse }: { db: Db; warehouse: Warehouse }, opts: { orderIds?: string[] } = {}): Promise<{ compared: number; opened: number }> {
  const lines = numbered(
    await db.orderLine.findMany({
      where: { ...(opts.orderIds ? { orderId: { in: opts.orderIds } } : {}), OR: [{ released: { gt: 0 } }, { order: { cancellations: { some: { warehouseLines: { some: {} } } } } }] },
      select: { id: true, orderId: true, lineId: true, sku: true, locationId: true, released: true },
      orderBy: { orderId: "asc" },
      take: 5_000,
    }),
  );
  const inFlight = new Set(
    (await db.warehouseCancellationLine.findMany({ where: { cancellation: { status: { in: ["pending_approval", "awaiting_warehouse"] } } }, select: { orderLineId: true } })).map((l) => l.orderLineId),
  );
  const orderIds = [...new Set(lines.map((l) => l.orderId))];
  let compared = 0;
  let opened = 0;
  for (let i = 0; i < orderIds.length; i += BATCH) {
    const batch = orderIds.slice(i, i + BATCH);
    const theirs = await warehouse.status(batch);
    for (const line of lines.filter((l) => batch.includes(l.orderId) && !inFlight.has(l.id))) {
      const reported = theirs.filter((t) => t.orderId === line.orderId && t.lineId === line.lineId);
      // A line the warehouse does not know holds nothing there.
      const held = reported.reduce((s, t) => s + t.held, 0);
      compared += 1;
      if (held === line.released) continue;
      const open = await db.inventoryDiscrepancy.findFirst({ where: { orderLineId: line.id, resolvedAt: null } });
      if (open && Number(open.ours) === line.released && Number(open.theirs) === held) {
        await db.inventoryDiscrepancy.update({ where: { id: open.id }, data: { lastSeenAt: new Date() } });
        continue;
      }
      if (open) await db.inventoryDiscrepancy.update({ where: { id: open.id }, data: { lastSeenAt: new Date(), ours: line.released, theirs: held } });
      else {
        await db.inventoryDiscrepancy.create({ data: { orderId: line.orderId, orderLineId: line.id, lineId: line.lineId, sku: line.sku, locationId: reported[0]?.locationId ?? line.locationId, ours: line.released, theirs: held } });
        opened += 1;
      }
    }
  }
  return { compared, opened };
}
