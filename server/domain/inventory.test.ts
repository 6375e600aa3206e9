import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { applyReservationChanges, releaseReservations, type ReservationState } from "./inventory";

const reservationsArb = fc
  .array(fc.record({ line: fc.integer({ min: 0, max: 2 }), location: fc.constantFrom("DC-EAST", "DC-WEST", "STORE-9"), quantity: fc.integer({ min: 1, max: 6 }), releasedPct: fc.integer({ min: 0, max: 100 }) }), { maxLength: 6 })
  .map((rows) => {
    const seen = new Set<string>();
    return rows
      .filter((r) => !seen.has(`${r.line}:${r.location}`) && seen.add(`${r.line}:${r.location}`))
      .map((r, i): ReservationState => ({ reservationId: `R${i}`, orderLineId: `L${r.line}`, locationId: r.location, sku: `SKU-${r.line}`, quantity: r.quantity, released: Math.floor((r.quantity * r.releasedPct) / 100) }));
  });

const itemsArb = fc.uniqueArray(fc.record({ line: fc.integer({ min: 0, max: 2 }), quantity: fc.integer({ min: 1, max: 10 }) }), { selector: (i) => i.line, maxLength: 3 }).map((items) => items.map((i) => ({ orderLineId: `L${i.line}`, quantity: i.quantity })));

const left = (rs: readonly ReservationState[], line: string) => rs.filter((r) => r.orderLineId === line).reduce((s, r) => s + r.quantity - r.released, 0);

describe("inventory release (property)", () => {
  it("releases min(units, still reserved) per line, in location order, never beyond a reservation; a second release of the rest finishes exactly", () => {
    fc.assert(
      fc.property(reservationsArb, itemsArb, (reservations, items) => {
        const { changes, released } = releaseReservations(items, reservations);
        const after = applyReservationChanges(reservations, changes);
        for (const item of items) {
          const was = left(reservations, item.orderLineId);
          expect(released.filter((r) => r.orderLineId === item.orderLineId).reduce((s, r) => s + r.quantity, 0)).toBe(Math.min(item.quantity, was));
          expect(left(after, item.orderLineId)).toBe(Math.max(0, was - item.quantity));
          const order = released.filter((r) => r.orderLineId === item.orderLineId).map((r) => r.locationId);
          expect(order).toEqual([...order].sort());
        }
        for (const r of after) expect(r.released).toBeLessThanOrEqual(r.quantity);
        expect(changes.every((c) => c.released > 0)).toBe(true);
        expect(new Set(changes.map((c) => c.reservationId)).size).toBe(changes.length);
        // Releasing everything left empties every reservation; once more releases nothing.
        const rest = [...new Set(after.map((r) => r.orderLineId))].map((orderLineId) => ({ orderLineId, quantity: 100 }));
        const emptied = applyReservationChanges(after, releaseReservations(rest, after).changes);
        expect(emptied.every((r) => r.released === r.quantity)).toBe(true);
        expect(releaseReservations(rest, emptied).changes).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses a change beyond what is reserved, or below nothing, and a release of no units", () => {
    const r: ReservationState = { reservationId: "R1", orderLineId: "L1", locationId: "DC", sku: "S", quantity: 2, released: 1 };
    expect(() => applyReservationChanges([r], [{ reservationId: "R1", released: 2 }])).toThrow(AppError);
    expect(() => applyReservationChanges([r], [{ reservationId: "R1", released: -2 }])).toThrow(AppError);
    expect(() => releaseReservations([{ orderLineId: "L1", quantity: 0 }], [r])).toThrow(AppError);
    expect(applyReservationChanges([r], [{ reservationId: "R1", released: 1 }])[0]!.released).toBe(2);
    expect(r.released).toBe(1);
  });
});
