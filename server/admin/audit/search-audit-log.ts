import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { paymentViewerFor } from "@/server/payments/payment-view";
import { describeAuditEntries } from "./audit-entry-view";
import { auditWhere, ZAuditFiltersSchema } from "./audit-filters";

export const ZSearchAuditLogSchema = ZAuditFiltersSchema.extend({
  /** The id of the last entry of the previous page (entries come newest first). */
  cursor: z.string().regex(/^\d{1,19}$/).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export async function searchAuditLog({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const payment = paymentViewerFor(actor);
  const q = ZSearchAuditLogSchema.parse(input ?? {});
  const where = await auditWhere(db, q);
  if (!where) return { entries: [], nextCursor: null };
  const rows = await db.auditLog.findMany({
    where: q.cursor ? { AND: [where, { id: { lt: BigInt(q.cursor) } }] } : where,
    orderBy: { id: "desc" },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    entries: await describeAuditEntries(db, page, payment),
    nextCursor: rows.length > q.limit ? page[page.length - 1]!.id.toString() : null,
  };
}
