import { type Actor, canSeeStore } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { isUuid } from "@/server/domain/ids";
import { fromJsonRow } from "@/server/db/json-rows";
import { type Numbered, numbered } from "@/server/db/numbers";

export const ORDER_INCLUDE = {
  lines: { orderBy: { position: "asc" } },
  discounts: { orderBy: { position: "asc" } },
  tenders: { orderBy: { position: "asc" } },
} as const satisfies Prisma.OrderInclude;

export type LoadedOrder = Numbered<Prisma.OrderGetPayload<{ include: typeof ORDER_INCLUDE }>>;

/** SPEC §5's velocity figures for a customer: other orders with cancellations in 24 h, refunds in 7 days. */
export interface CustomerVelocity {
  otherOrdersWithCancellations24h: number;
  refunded7d: number;
}

export interface OrderAggregate {
  order: LoadedOrder | null;
  /** The newest business rules version, read in the same snapshot as the order (0: none saved). */
  rulesVersion: number;
  velocity: CustomerVelocity | null;
}

type Tx = Db | Prisma.TransactionClient;

const DAY_MS = 24 * 60 * 60 * 1000;

export function notFound(orderId: string) {
  return new AppError(ErrorCode.NOT_FOUND, `Order ${orderId} was not found.`);
}

// row_to_json writes a timestamp(3) without its zone; the app writes them in UTC, as Prisma reads them.
const DATE_FIELDS = new Set(["createdAt", "updatedAt"]);
const fromOrderRow = (row: Record<string, unknown>) => fromJsonRow(row, DATE_FIELDS);

// Only compared with a limit: a sum beyond the safe range is as good as the largest safe one.
function cappedSum(text: string | null): number {
  const sum = BigInt(text ?? "0");
  return sum > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(sum);
}

const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * The order with its lines, discounts and tenders, the newest business rules version and,
 * with `velocity`, the customer's velocity figures: ONE statement, so one round trip and one
 * snapshot. Prisma's include would be a query per relation, compiled per call. The approval
 * policy counts every store; `velocityStores` counts only orders of those stores (what a store
 * manager may be shown, SPEC §1).
 */
export async function loadOrderAggregate(db: Tx, orderId: string, opts: { velocity?: boolean; velocityStores?: readonly string[] | null; now?: Date } = {}): Promise<OrderAggregate> {
  const now = opts.now ?? new Date();
  const inStores = opts.velocityStores ? Prisma.sql`AND co.store_id = ANY(${[...opts.velocityStores]}::text[])` : Prisma.empty;
  const velocity = opts.velocity
    ? Prisma.sql`
        (SELECT count(DISTINCT c.order_id)::int FROM cancellations c JOIN orders co ON co.id = c.order_id
          WHERE co.customer_id = o.customer_id AND c.order_id <> o.id
            AND c.status IN ('pending_approval', 'processing', 'completed')
            AND c.created_at >= ${utc(new Date(now.getTime() - DAY_MS))} ${inStores}) AS other_orders_24h,
        (SELECT coalesce(sum(c.total), 0)::text FROM cancellations c JOIN orders co ON co.id = c.order_id
          WHERE co.customer_id = o.customer_id AND c.currency = o.currency
            AND c.status IN ('processing', 'completed')
            AND c.created_at >= ${utc(new Date(now.getTime() - 7 * DAY_MS))} ${inStores}) AS refunded_7d`
    : Prisma.sql`NULL::int AS other_orders_24h, NULL::text AS refunded_7d`;
  const rows = await db.$queryRaw<
    { rules_version: number; order: Record<string, unknown> | null; lines: Record<string, unknown>[] | null; discounts: Record<string, unknown>[] | null; tenders: Record<string, unknown>[] | null; other_orders_24h: number | null; refunded_7d: string | null }[]
  >`
    SELECT (SELECT coalesce(max(version), 0)::int FROM business_rules) AS rules_version,
           row_to_json(o) AS "order",
           (SELECT json_agg(l ORDER BY l.position) FROM order_lines l WHERE l.order_id = o.id) AS lines,
           (SELECT json_agg(d ORDER BY d.position) FROM order_discounts d WHERE d.order_id = o.id) AS discounts,
           (SELECT json_agg(t ORDER BY t.position) FROM tenders t WHERE t.order_id = o.id) AS tenders,
           ${velocity}
      FROM (SELECT 1) AS one LEFT JOIN orders o ON o.id = ${orderId}::uuid`;
  const row = rows[0]!;
  const order = row.order
    ? ({
        ...fromOrderRow(row.order),
        lines: (row.lines ?? []).map(fromOrderRow),
        discounts: (row.discounts ?? []).map(fromOrderRow),
        tenders: (row.tenders ?? []).map(fromOrderRow),
      } as unknown as LoadedOrder)
    : null;
  return {
    order,
    rulesVersion: Number(row.rules_version),
    velocity: opts.velocity && order ? { otherOrdersWithCancellations24h: Number(row.other_orders_24h), refunded7d: cappedSum(row.refunded_7d) } : null,
  };
}

/**
 * Locks the order row FOR UPDATE (call it inside a transaction). A statement of its own: in
 * READ COMMITTED the next statement's snapshot then sees everything the previous holder of the
 * lock committed, which subqueries of a single `SELECT … FOR UPDATE` would not (they keep the
 * snapshot taken before the wait).
 */
export async function lockOrder(tx: Tx, orderId: string): Promise<void> {
  if (isUuid(orderId)) await tx.$queryRaw`SELECT id FROM orders WHERE id = ${orderId}::uuid FOR UPDATE`;
}

/** The loaded order, if the actor may see it: a store manager gets the same 404 for another store's order as for one that does not exist. */
export function visibleOrder(actor: Actor, orderId: string, order: LoadedOrder | null): LoadedOrder {
  if (!order || !canSeeStore(actor, order.storeId)) throw notFound(orderId);
  return order;
}

/**
 * The order with its lines, discounts and tenders, if the actor may see it. With `lock`, the
 * order row is locked FOR UPDATE first (call it inside a transaction).
 */
export async function loadOrderForActor(db: Tx, actor: Actor, orderId: string, opts: { lock?: boolean } = {}): Promise<LoadedOrder> {
  if (!isUuid(orderId)) throw notFound(orderId);
  if (opts.lock) await lockOrder(db, orderId);
  return visibleOrder(actor, orderId, (await loadOrderAggregate(db, orderId)).order);
}

/**
 * Several orders at once, for GraphQL's DataLoader: one findMany (a query per relation) whatever
 * the count. Each id answers its order or, for one that does not exist or that the actor may not
 * see, the same NOT_FOUND as loadOrderForActor.
 */
export async function loadOrdersForActor(db: Db, actor: Actor, orderIds: readonly string[]): Promise<(LoadedOrder | AppError)[]> {
  const ids = [...new Set(orderIds.filter(isUuid))];
  const rows = ids.length ? numbered(await db.order.findMany({ where: { id: { in: ids } }, include: ORDER_INCLUDE })) : [];
  const byId = new Map(rows.map((o) => [o.id, o]));
  return orderIds.map((id) => {
    const order = byId.get(id);
    return order && canSeeStore(actor, order.storeId) ? order : notFound(id);
  });
}
