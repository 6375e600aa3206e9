import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import type { ReservationChange } from "@/server/domain/inventory";
import type { LineChange, OrderChange, ShippingChange, TenderChange } from "@/server/domain/order-transitions";
import { type OrderStatus, Prisma } from "@/server/generated/prisma/client";

/*
 * The only writers of an order's counts and money: each applies a change computed by the domain
 * (server/domain/order-transitions.ts) as it is, one UPDATE per aggregate (applyOrderChange runs the
 * three as one statement). The caller holds the order's row lock; the CHECK constraints refuse a
 * change that would break an invariant.
 */

type Tx = Db | Prisma.TransactionClient;

function missing(what: string, orderId: string, expected: number, found: number) {
  return new AppError(ErrorCode.INTERNAL, `A change names ${expected} ${what} of order ${orderId}; ${found} exist`);
}

/** The UPDATE of order lines' units held and cancelled, merchandise and tax committed. */
function lineChangesSql(orderId: string, changes: readonly LineChange[]): Prisma.Sql {
  return Prisma.sql`
    UPDATE order_lines l
       SET pending_cancel = l.pending_cancel + c.pending_cancel,
           released = l.released + c.released,
           cancelled = l.cancelled + c.cancelled,
           net_refunded = l.net_refunded + c.net_refunded,
           tax_refunded = l.tax_refunded + c.tax_refunded
      FROM unnest(${changes.map((c) => c.lineId)}::text[], ${changes.map((c) => c.pendingCancel)}::bigint[], ${changes.map((c) => c.released)}::bigint[], ${changes.map((c) => c.cancelled)}::bigint[],
                  ${changes.map((c) => c.netRefunded)}::bigint[], ${changes.map((c) => c.taxRefunded)}::bigint[])
           AS c(line_id, pending_cancel, released, cancelled, net_refunded, tax_refunded)
     WHERE l.order_id = ${orderId}::uuid AND l.line_id = c.line_id`;
}

/** One row per tender: a cancellation may take a reversal and a refund from the same one. */
function mergedTenderChanges(changes: readonly TenderChange[]): TenderChange[] {
  const merged = new Map<string, TenderChange>();
  for (const c of changes) {
    const m = merged.get(c.tenderId) ?? { tenderId: c.tenderId, reversed: 0, refunded: 0, reversalHeld: 0, refundHeld: 0 };
    merged.set(c.tenderId, { tenderId: c.tenderId, reversed: m.reversed + c.reversed, refunded: m.refunded + c.refunded, reversalHeld: m.reversalHeld + c.reversalHeld, refundHeld: m.refundHeld + c.refundHeld });
  }
  return [...merged.values()];
}

/** The UPDATE of tenders' money held for cancellations, and reversed or refunded once settled (`rows` merged per tender). */
function tenderChangesSql(orderId: string, rows: readonly TenderChange[]): Prisma.Sql {
  return Prisma.sql`
    UPDATE tenders t
       SET reversed = t.reversed + c.reversed,
           refunded = t.refunded + c.refunded,
           reversal_held = t.reversal_held + c.reversal_held,
           refund_held = t.refund_held + c.refund_held
      FROM unnest(${rows.map((c) => c.tenderId)}::text[], ${rows.map((c) => c.reversed)}::bigint[], ${rows.map((c) => c.refunded)}::bigint[],
                  ${rows.map((c) => c.reversalHeld)}::bigint[], ${rows.map((c) => c.refundHeld)}::bigint[])
           AS c(tender_id, reversed, refunded, reversal_held, refund_held)
     WHERE t.order_id = ${orderId}::uuid AND t.tender_id = c.tender_id`;
}

/** The UPDATE of the order: shipping and its tax committed to cancellations, the status when given; the version moves on. */
function shippingChangeSql(orderId: string, change: ShippingChange, status: OrderStatus | undefined): Prisma.Sql {
  return Prisma.sql`
    UPDATE orders
       SET version = version + 1,
           shipping_refunded = shipping_refunded + ${change.shippingRefunded}::bigint,
           shipping_tax_refunded = shipping_tax_refunded + ${change.shippingTaxRefunded}::bigint,
           status = coalesce(${status ?? null}::"OrderStatus", status),
           updated_at = (${new Date().toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3)
     WHERE id = ${orderId}::uuid`;
}

/** Order lines: units held and cancelled, merchandise and tax committed. */
export async function applyLineChanges(tx: Tx, orderId: string, changes: readonly LineChange[]): Promise<void> {
  if (changes.length === 0) return;
  const n = await tx.$executeRaw(lineChangesSql(orderId, changes));
  if (n !== changes.length) throw missing("lines", orderId, changes.length, n);
}

/** Tenders: money held for cancellations, and reversed or refunded once settled. */
export async function applyTenderChanges(tx: Tx, orderId: string, changes: readonly TenderChange[]): Promise<void> {
  if (changes.length === 0) return;
  const rows = mergedTenderChanges(changes);
  const n = await tx.$executeRaw(tenderChangesSql(orderId, rows));
  if (n !== rows.length) throw missing("tenders", orderId, rows.length, n);
}

/** The order: shipping and its tax committed to cancellations; every change moves the version on. */
export async function applyShippingChange(tx: Tx, orderId: string, change: ShippingChange, extra: { status?: OrderStatus } = {}): Promise<void> {
  const n = await tx.$executeRaw(shippingChangeSql(orderId, change, extra.status));
  if (n !== 1) throw missing("orders", orderId, 1, n);
}

/** A whole change: lines, tenders and the order (whose version moves on), in one statement. */
export async function applyOrderChange(tx: Tx, orderId: string, change: OrderChange, extra: { status?: OrderStatus } = {}): Promise<void> {
  const tenders = mergedTenderChanges(change.tenders);
  const [n] = await tx.$queryRaw<{ lines: number; tenders: number; orders: number }[]>`
    WITH lines AS (${lineChangesSql(orderId, change.lines)} RETURNING 1),
         tenders AS (${tenderChangesSql(orderId, tenders)} RETURNING 1),
         orders AS (${shippingChangeSql(orderId, change.shipping, extra.status)} RETURNING 1)
    SELECT (SELECT count(*) FROM lines)::int AS lines, (SELECT count(*) FROM tenders)::int AS tenders, (SELECT count(*) FROM orders)::int AS orders`;
  if (n!.lines !== change.lines.length) throw missing("lines", orderId, change.lines.length, n!.lines);
  if (n!.tenders !== tenders.length) throw missing("tenders", orderId, tenders.length, n!.tenders);
  if (n!.orders !== 1) throw missing("orders", orderId, 1, n!.orders);
}

/** Inventory reservations: units released (deltas from server/domain/inventory.ts), one statement. */
export async function applyReservationChanges(tx: Tx, orderId: string, changes: readonly ReservationChange[]): Promise<void> {
  if (changes.length === 0) return;
  // A reservation named twice would be updated once: the count below refuses that too.
  const n = await tx.$executeRaw`
    UPDATE inventory_reservations r
       SET released = r.released + c.released, updated_at = now() AT TIME ZONE 'UTC'
      FROM unnest(${changes.map((c) => c.reservationId)}::uuid[], ${changes.map((c) => c.released)}::bigint[]) AS c(id, released)
     WHERE r.order_id = ${orderId}::uuid AND r.id = c.id`;
  if (n !== changes.length) throw missing("reservations", orderId, changes.length, n);
}
