import { afterAll, beforeAll, expect, it } from "vitest";
import { listInventoryDiscrepancies, resolveInventoryDiscrepancy } from "@/server/admin/operations/inventory-discrepancies";
import { getDb } from "@/server/db/client";
import { actorFor, importForTest, simpleOrder } from "@/test/saga-harness";
import { startWarehouseHarness, type WarehouseHarness } from "@/test/warehouse-harness";
import { reconcileInventory } from "./reconcile-inventory";

const db = getDb();
let wh: WarehouseHarness;

beforeAll(async () => {
  wh = await startWarehouseHarness();
});
afterAll(async () => {
  await wh.stop();
});

it("reconciliation lists a difference with GET /wm/inventory/status once, fixes nothing, and an admin resolves it (audited)", async () => {
  const order = simpleOrder(4);
  order.lines[0]!.released = 3;
  const { orderId } = await importForTest(order);
  const other = simpleOrder(2);
  other.lines[0]!.released = 2;
  const { orderId: agreeing } = await importForTest(other);
  // The warehouse holds only 2 of our 3 released units (one went missing); the other order agrees.
  wh.fake.state.setLine({ orderId, lineId: "1", sku: "SKU-1", locationId: "DC-WEST", released: 1, picked: 1 });
  wh.fake.state.setLine({ orderId: agreeing, lineId: "1", sku: "SKU-1", locationId: "DC-WEST", packed: 2 });

  const first = await reconcileInventory({ db, warehouse: wh.warehouse }, { orderIds: [orderId, agreeing] });
  expect(first).toEqual({ compared: 2, opened: 1 });
  // Run again: the same difference is seen again, not listed twice.
  expect(await reconcileInventory({ db, warehouse: wh.warehouse }, { orderIds: [orderId, agreeing] })).toEqual({ compared: 2, opened: 0 });
  const line = await db.orderLine.findFirstOrThrow({ where: { orderId } });
  expect(Number(line.released)).toBe(3);

  const admin = await actorFor("system_admin");
  const listed = await listInventoryDiscrepancies({ db }, {});
  const row = listed.find((d) => d.orderId === orderId)!;
  expect(row).toMatchObject({ lineId: "1", sku: "SKU-1", ours: 3, theirs: 2, resolvedAt: null });
  expect(listed.some((d) => d.orderId === agreeing)).toBe(false);

  await expect(resolveInventoryDiscrepancy({ db, actor: admin }, { discrepancyId: row.discrepancyId, note: " " })).rejects.toMatchObject({ name: "ZodError" });
  const resolved = await resolveInventoryDiscrepancy({ db, actor: admin }, { discrepancyId: row.discrepancyId, note: "Counted at DC-WEST: one unit damaged" });
  expect(resolved.note).toBe("Counted at DC-WEST: one unit damaged");
  await expect(resolveInventoryDiscrepancy({ db, actor: admin }, { discrepancyId: row.discrepancyId, note: "again" })).rejects.toMatchObject({ code: "INVALID_STATE" });
  expect((await listInventoryDiscrepancies({ db }, {})).some((d) => d.orderId === orderId)).toBe(false);
  const audit = await db.auditLog.findFirstOrThrow({ where: { action: "inventory_discrepancy.resolved", entityId: row.discrepancyId } });
  expect(audit).toMatchObject({ actorId: admin.userId, entity: "inventory_discrepancy" });
});
