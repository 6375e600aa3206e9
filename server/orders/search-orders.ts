import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { formatAmount } from "@/server/domain/money";
import { Prisma } from "@/server/generated/prisma/client";
import { customerContact } from "./order-view";
import { phoneSearchKey } from "./customer-phone";
import { type TOrderSort, type TSearchOrdersFilters, ZSearchOrdersSchema } from "./search-orders.schema";
import { isUuid } from "@/server/domain/ids";

/**
 * Orders by id (whole, or the short id the UI shows: its first hex digits), external id, customer
 * email, name or phone (its last 4 or more digits, in any format: customer-phone.ts), a line's SKU
 * or description, or a card's last 4, with filters and a sort; a manager sees only their stores.
 * `exactMatch` names the one visible order whose external id (or id) is exactly the query, so the
 * UI can open it directly.
 */
export async function searchOrders({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const q = ZSearchOrdersSchema.parse(input);
  const [{ total, rows }, exactMatch] = await Promise.all([
    findOrders({ db, actor }, q, { skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    q.query ? findExactMatch(db, actor, q.query) : null,
  ]);
  const pii = hasPermission(actor, "read_order_pii");
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    exactMatch,
    orders: rows.map((o) => ({
      orderId: o.id,
      externalId: o.externalId,
      channel: o.channel,
      storeId: o.storeId,
      status: o.status,
      currency: o.currency,
      total: formatAmount(o.total, o.currency),
      ...customerFields(customerContact({ name: o.customerName, email: o.customerEmail, phone: o.customerPhone }, pii)),
      createdAt: o.createdAt.toISOString(),
    })),
  };
}

const customerFields = (c: ReturnType<typeof customerContact>) => ({ customerName: c.name, customerEmail: c.email, customerPhone: c.phone });

const storesOf = (actor: Actor): Prisma.OrderWhereInput => (actor.storeIds === null ? {} : { storeId: { in: actor.storeIds } });

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

/**
 * The one visible order whose external id (any channel, any case) or id is the query; null when
 * none or several. ILIKE without wildcards, so the trigram index finds it (lower(x) = lower(y) would not).
 */
async function findExactMatch(db: Db, actor: Actor, text: string): Promise<{ orderId: string; externalId: string } | null> {
  const stores = actor.storeIds === null ? Prisma.empty : Prisma.sql`AND store_id = ANY(${actor.storeIds}::text[])`;
  const byId = isUuid(text) ? Prisma.sql`OR id = ${text.toLowerCase()}::uuid` : Prisma.empty;
  const found = await db.$queryRaw<{ id: string; external_id: string }[]>`
    SELECT id, external_id FROM orders WHERE (external_id ILIKE ${escapeLike(text)} ${byId}) ${stores} LIMIT 2`;
  return found.length === 1 ? { orderId: found[0]!.id, externalId: found[0]!.external_id } : null;
}

/**
 * The ids that begin with `text` as a range of the primary key (PostgreSQL orders uuids by their
 * bytes, which is the order of their hex digits): the short id shown under each order is its first
 * 8 digits. At least 6 digits, so a word such as "bead" is not read as an id.
 */
export function uuidPrefixRange(text: string): { gte: string; lte: string } | null {
  const hex = text.toLowerCase().replace(/-/g, "");
  if (!/^[0-9a-f]{6,32}$/.test(hex) || !/^[0-9a-f-]+$/i.test(text)) return null;
  const asUuid = (digits: string) => `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
  return { gte: asUuid(hex.padEnd(32, "0")), lte: asUuid(hex.padEnd(32, "f")) };
}

/** Above this many orders matched through their lines or cards, the match stays a subquery. */
export const RELATED_IDS_LIMIT = 1000;

/**
 * The orders whose lines (SKU, description) or cards (last 4) match, read first through their
 * own indexes. A relation filter inside the OR would be a subquery per order row, which keeps
 * PostgreSQL from combining the orders table's indexes (a scan of every order); a short id list
 * lets it OR them. null: too many to list (a word on most products), the subquery it is.
 */
async function relatedOrderIds(db: Db, text: string): Promise<string[] | null> {
  const like = `%${escapeLike(text)}%`;
  const cards = /^\d{4}$/.test(text) ? Prisma.sql`UNION SELECT order_id FROM tenders WHERE last4 = ${text}` : Prisma.empty;
  const rows = await db.$queryRaw<{ order_id: string }[]>`
    SELECT order_id FROM order_lines WHERE sku ILIKE ${like} OR description ILIKE ${like}
    ${cards}
    LIMIT ${RELATED_IDS_LIMIT + 1}`;
  return rows.length > RELATED_IDS_LIMIT ? null : rows.map((r) => r.order_id);
}

function matching(text: string, related: string[] | null): Prisma.OrderWhereInput {
  // Prisma puts the text between % as it is: its own % and _ must be escaped to mean themselves.
  const contains = { contains: escapeLike(text), mode: "insensitive" } as const;
  const prefix = uuidPrefixRange(text);
  const phone = phoneSearchKey(text);
  return {
    OR: [
      ...(prefix ? [{ id: prefix }] : []),
      { externalId: contains },
      { customerEmail: contains },
      { customerName: contains },
      // Digits only, so nothing to escape: LIKE '%<digits>', served by the trigram index.
      ...(phone ? [{ customerPhoneDigits: { endsWith: phone } }] : []),
      ...(related !== null
        ? [{ id: { in: related } }]
        : [{ lines: { some: { OR: [{ sku: contains }, { description: contains }] } } }, ...(/^\d{4}$/.test(text) ? [{ tenders: { some: { last4: text } } }] : [])]),
    ],
  };
}

const SORT_FIELD: Record<TOrderSort, keyof Prisma.OrderOrderByWithRelationInput> = {
  placed: "createdAt",
  external_id: "externalId",
  customer: "customerName",
  store: "storeId",
  status: "status",
  total: "total",
};

/** The search's rows and their count, by offset: the page of searchOrders, and GraphQL's `orders` connection. */
export async function findOrders({ db, actor }: { db: Db; actor: Actor }, q: TSearchOrdersFilters, window: { skip: number; take: number }) {
  const and: Prisma.OrderWhereInput[] = [storesOf(actor)];
  if (q.storeId) and.push({ storeId: q.storeId });
  if (q.status) and.push({ status: q.status });
  if (q.channel) and.push({ channel: q.channel });
  if (q.dateFrom) and.push({ createdAt: { gte: new Date(`${q.dateFrom}T00:00:00Z`) } });
  if (q.dateTo) and.push({ createdAt: { lt: new Date(new Date(`${q.dateTo}T00:00:00Z`).getTime() + 86_400_000) } });
  if (q.query) and.push(matching(q.query, await relatedOrderIds(db, q.query)));
  const where: Prisma.OrderWhereInput = { AND: and };
  const orderBy: Prisma.OrderOrderByWithRelationInput[] = [{ [SORT_FIELD[q.sort]]: q.direction }, ...(q.sort === "placed" ? [] : [{ createdAt: "desc" as const }]), { id: "asc" }];
  const [total, rows] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({ where, orderBy, skip: window.skip, take: window.take }).then(numbered),
  ]);
  return { total, rows };
}
