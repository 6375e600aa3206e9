import { AppError, ErrorCode } from "./errors";

/*
 * Stock reserved for an order's lines at its locations (inventory_reservations), and the one
 * transition on it: the saga's release of the reservations of cancelled units (SPEC §6.3 step 3).
 * The repository (server/orders/apply-order-change.ts, applyReservationChanges) writes the change
 * as it is; the CHECK constraint 0 ≤ released ≤ quantity refuses a wrong one.
 */

export interface ReservationState {
  reservationId: string;
  orderLineId: string;
  locationId: string;
  sku: string;
  quantity: number;
  released: number;
}

/** Units released at one reservation, as a delta. */
export interface ReservationChange {
  reservationId: string;
  released: number;
}

export interface ReleasedStock {
  reservationId: string;
  orderLineId: string;
  locationId: string;
  sku: string;
  quantity: number;
}

export interface InventoryRelease {
  changes: ReservationChange[];
  released: ReleasedStock[];
}

function positiveSafe(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

/**
 * The release of `items` (cancelled units per order line): each line's reservations in location
 * order, each up to what it still reserves. Units with nothing left reserved are not released
 * anywhere (they were never reserved, or released already). Pure.
 */
export function releaseReservations(items: readonly { orderLineId: string; quantity: number }[], reservations: readonly ReservationState[]): InventoryRelease {
  const changes: ReservationChange[] = [];
  const released: ReleasedStock[] = [];
  const left = new Map(reservations.map((r) => [r.reservationId, r.quantity - r.released]));
  for (const item of items) {
    if (!positiveSafe(item.quantity)) throw new AppError(ErrorCode.INVALID_STATE, `Releasing ${item.quantity} units of line ${item.orderLineId}`, { orderLineId: item.orderLineId });
    let remaining = item.quantity;
    const atLine = reservations.filter((r) => r.orderLineId === item.orderLineId).sort((a, b) => (a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : 0));
    for (const r of atLine) {
      const take = Math.min(remaining, left.get(r.reservationId)!);
      if (take <= 0) continue;
      left.set(r.reservationId, left.get(r.reservationId)! - take);
      changes.push({ reservationId: r.reservationId, released: take });
      released.push({ reservationId: r.reservationId, orderLineId: r.orderLineId, locationId: r.locationId, sku: r.sku, quantity: take });
      remaining -= take;
      if (remaining === 0) break;
    }
  }
  return { changes, released };
}

/** The reservations after `changes`, refusing (INVALID_STATE) what the CHECK constraint refuses. Pure. */
export function applyReservationChanges(reservations: readonly ReservationState[], changes: readonly ReservationChange[]): ReservationState[] {
  const next = reservations.map((r) => ({ ...r }));
  for (const c of changes) {
    const r = next.find((x) => x.reservationId === c.reservationId);
    if (!r) throw new AppError(ErrorCode.VALIDATION_FAILED, `No reservation "${c.reservationId}"`, { reservationId: c.reservationId });
    r.released += c.released;
    if (!Number.isSafeInteger(r.released) || r.released < 0 || r.released > r.quantity) {
      throw new AppError(ErrorCode.INVALID_STATE, `Reservation "${c.reservationId}" would release more than it reserves, or less than nothing`, { reservationId: c.reservationId });
    }
  }
  return next;
}
