import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { formatAmount } from "@/server/domain/money";
import type { Prisma } from "@/server/generated/prisma/client";
import { maskEmail, maskName } from "./order-view";
import { ZSearchOrdersSchema } from "./search-orders.schema";
import { isUuid } from "@/server/domain/ids";

/** Orders by id, external id, customer email or name, with filters; a manager sees only their stores. */
export async function searchOrders({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const q = ZSearchOrdersSchema.parse(input);
  const and: Prisma.OrderWhereInput[] = [];
  if (actor.storeIds !== null) and.push({ storeId: { in: actor.storeIds } });
  if (q.storeId) and.push({ storeId: q.storeId });
  if (q.status) and.push({ status: q.status });
  if (q.channel) and.push({ channel: q.channel });
  if (q.dateFrom) and.push({ createdAt: { gte: new Date(`${q.dateFrom}T00:00:00Z`) } });
  if (q.dateTo) and.push({ createdAt: { lt: new Date(new Date(`${q.dateTo}T00:00:00Z`).getTime() + 86_400_000) } });
  if (q.query) {
    const text = q.query;
    and.push({
      OR: [
        ...(isUuid(text) ? [{ id: text }] : []),
        { externalId: { contains: text, mode: "insensitive" } },
        { customerEmail: { contains: text, mode: "insensitive" } },
        { customerName: { contains: text, mode: "insensitive" } },
      ],
    });
  }
  const where: Prisma.OrderWhereInput = { AND: and };
  const [total, rows] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "asc" }], skip: (q.page - 1) * q.pageSize, take: q.pageSize }).then(numbered),
  ]);
  const pii = hasPermission(actor, "read_order_pii");
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    orders: rows.map((o) => ({
      orderId: o.id,
      externalId: o.externalId,
      channel: o.channel,
      storeId: o.storeId,
      status: o.status,
      currency: o.currency,
      total: formatAmount(o.total, o.currency),
      customerName: pii ? o.customerName : maskName(o.customerName),
      customerEmail: pii ? o.customerEmail : maskEmail(o.customerEmail),
      createdAt: o.createdAt.toISOString(),
    })),
  };
}
