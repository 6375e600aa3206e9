import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import { recordAdminAudit } from "../admin-audit";

export const ZListDiscrepanciesSchema = z.object({ includeResolved: z.boolean().default(false) }).default({ includeResolved: false });

export const ZResolveDiscrepancySchema = z.object({
  discrepancyId: z.string().min(1).max(100),
  note: z.string().trim().min(1, "say what was done about it (e.g. counted at the warehouse, order corrected)").max(1000),
});

/** Differences between our reservations and the warehouse (server/inventory/reconcile-inventory.ts), newest first. */
export async function listInventoryDiscrepancies({ db }: { db: Db }, input: unknown) {
  const q = ZListDiscrepanciesSchema.parse(input ?? {});
  const rows = await db.inventoryDiscrepancy.findMany({ where: q.includeResolved ? {} : { resolvedAt: null }, orderBy: { detectedAt: "desc" }, take: 200 });
  const resolverIds = [...new Set(rows.map((r) => r.resolvedById).filter((id): id is string => id !== null))];
  const resolvers = new Map((await db.user.findMany({ where: { id: { in: resolverIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return rows.map((d) => ({
    discrepancyId: d.id,
    orderId: d.orderId,
    lineId: d.lineId,
    sku: d.sku,
    locationId: d.locationId,
    ours: Number(d.ours),
    theirs: Number(d.theirs),
    detectedAt: d.detectedAt.toISOString(),
    lastSeenAt: d.lastSeenAt.toISOString(),
    resolvedAt: d.resolvedAt?.toISOString() ?? null,
    resolvedBy: d.resolvedById ? (resolvers.get(d.resolvedById) ?? null) : null,
    resolutionNote: d.resolutionNote,
  }));
}

/** An admin marks a difference as dealt with, saying how (audited). */
export async function resolveInventoryDiscrepancy({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { discrepancyId, note } = ZResolveDiscrepancySchema.parse(input);
  if (!isUuid(discrepancyId)) throw new AppError(ErrorCode.NOT_FOUND, "No such difference.");
  return db.$transaction(async (tx) => {
    const updated = await tx.inventoryDiscrepancy.updateMany({ where: { id: discrepancyId, resolvedAt: null }, data: { resolvedAt: new Date(), resolvedById: actor.userId, resolutionNote: note } });
    if (updated.count === 0) {
      const exists = await tx.inventoryDiscrepancy.findUnique({ where: { id: discrepancyId }, select: { id: true } });
      if (!exists) throw new AppError(ErrorCode.NOT_FOUND, "No such difference.");
      throw new AppError(ErrorCode.INVALID_STATE, "This difference was already resolved.");
    }
    const d = await tx.inventoryDiscrepancy.findUniqueOrThrow({ where: { id: discrepancyId } });
    await recordAdminAudit(tx, actor, {
      action: "inventory_discrepancy.resolved",
      entity: "inventory_discrepancy",
      entityId: d.id,
      details: { orderId: d.orderId, lineId: d.lineId, sku: d.sku, locationId: d.locationId, ours: Number(d.ours), theirs: Number(d.theirs), note },
    });
    return { discrepancyId: d.id, resolvedAt: d.resolvedAt!.toISOString(), note };
  });
}
