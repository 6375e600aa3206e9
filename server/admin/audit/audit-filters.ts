import { z } from "zod";
import { DATE_RANGE_MESSAGE, isFilterDate } from "@/server/domain/date-range";
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/generated/prisma/client";
import { isUuid } from "@/server/domain/ids";

const optionalText = z.string().trim().max(200).optional().transform((v) => (v ? v : undefined));
const optionalDate = z
  .union([z.iso.date().refine(isFilterDate, DATE_RANGE_MESSAGE), z.literal("")])
  .optional()
  .transform((v) => (v ? v : undefined));

/**
 * The viewer's and the export's filters: actor (name, email or user id), order (its external id,
 * or our order id), action, dates (UTC, inclusive). `orderId` is the exact stored order id.
 */
export const ZAuditFiltersSchema = z.object({
  actor: optionalText,
  order: optionalText,
  orderId: optionalText,
  action: optionalText,
  dateFrom: optionalDate,
  dateTo: optionalDate,
});

export type TAuditFilters = z.output<typeof ZAuditFiltersSchema>;

/** The Prisma filter; null when the actor matches nobody (so nothing can match). */
export async function auditWhere(db: Db, f: TAuditFilters): Promise<Prisma.AuditLogWhereInput | null> {
  const and: Prisma.AuditLogWhereInput[] = [];
  if (f.actor) {
    if (isUuid(f.actor)) and.push({ actorId: f.actor });
    else {
      const users = await db.user.findMany({
        where: { OR: [{ email: { contains: f.actor, mode: "insensitive" } }, { name: { contains: f.actor, mode: "insensitive" } }] },
        select: { id: true },
        take: 500,
      });
      if (users.length === 0) return null;
      and.push({ actorId: { in: users.map((u) => u.id) } });
    }
  }
  if (f.orderId) and.push({ orderId: f.orderId });
  if (f.order) {
    // An external id names an order per channel, so it may name several.
    const orders = await db.order.findMany({ where: { externalId: { equals: f.order, mode: "insensitive" } }, select: { id: true }, take: 50 });
    const ids = [...orders.map((o) => o.id), ...(isUuid(f.order) ? [f.order.toLowerCase()] : [])];
    if (ids.length === 0) return null;
    and.push({ orderId: { in: ids } });
  }
  if (f.action) and.push({ action: { contains: f.action, mode: "insensitive" } });
  if (f.dateFrom) and.push({ at: { gte: new Date(`${f.dateFrom}T00:00:00Z`) } });
  if (f.dateTo) and.push({ at: { lt: new Date(new Date(`${f.dateTo}T00:00:00Z`).getTime() + 86_400_000) } });
  return { AND: and };
}

/** Names for the actor ids of a page of entries. */
export async function actorNames(db: Db, actorIds: (string | null)[]) {
  const ids = [...new Set(actorIds.filter((id): id is string => !!id && isUuid(id)))];
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((u) => [u.id, u]));
}
