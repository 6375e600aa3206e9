import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { releaseReservations } from "@/server/domain/inventory";
import { importForTest, simpleOrder } from "@/test/saga-harness";
import { applyReservationChanges } from "./apply-order-change";

const db = getDb();

const reservationsOf = async (orderId: string) =>
  numbered(await db.inventoryReservation.findMany({ where: { orderId } })).map((r) => ({ reservationId: r.id, orderLineId: r.orderLineId, locationId: r.locationId, sku: r.sku, quantity: r.quantity, released: r.released }));

describe("applyReservationChanges (real PostgreSQL)", () => {
  it("writes the domain's release as it is, and the CHECK constraint refuses one beyond the reservation, changing nothing", async () => {
    const { orderId } = await importForTest(simpleOrder(5));
    const before = await reservationsOf(orderId);
    expect(before).toHaveLength(1);
    const release = releaseReservations([{ orderLineId: before[0]!.orderLineId, quantity: 3 }], before);
    await db.$transaction((tx) => applyReservationChanges(tx, orderId, release.changes));
    const after = await reservationsOf(orderId);
    expect(after[0]!.released).toBe(3);

    await expect(db.$transaction((tx) => applyReservationChanges(tx, orderId, [{ reservationId: after[0]!.reservationId, released: 3 }]))).rejects.toThrow(/check constraint/i);
    // A reservation of another order is not this order's to release.
    const other = await importForTest(simpleOrder(1));
    const foreign = (await reservationsOf(other.orderId))[0]!;
    await expect(db.$transaction((tx) => applyReservationChanges(tx, orderId, [{ reservationId: foreign.reservationId, released: 1 }]))).rejects.toMatchObject({ code: "INTERNAL" });
    expect(await reservationsOf(orderId)).toEqual(after);
    expect((await reservationsOf(other.orderId))[0]!.released).toBe(0);
  });
});
