import { z } from "zod";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { formatAmount } from "@/server/domain/money";

export const ZListManualRefundTasksSchema = z.object({ status: z.enum(["open", "done"]).default("open") }).default({ status: "open" });

/**
 * Refunds a person has to complete: refund method `manual`, a provider's decline, or an unknown
 * outcome (SPEC §6) that the provider showed did nothing, or could not settle within the horizon
 * (`verifyAtProvider`: check the provider before paying).
 */
export async function listManualRefundTasks({ db }: { db: Db }, input: unknown) {
  const q = ZListManualRefundTasksSchema.parse(input ?? {});
  const rows = numbered(await db.manualRefundTask.findMany({
    where: { status: q.status },
    orderBy: { createdAt: q.status === "open" ? "asc" : "desc" },
    take: 200,
    include: { cancellation: { select: { orderId: true, order: { select: { externalId: true, storeId: true } } } } },
  }));
  const tenderIds = [...new Set(rows.map((r) => r.tenderId).filter((id): id is string => id !== null))];
  const tenders = await db.tender.findMany({ where: { id: { in: tenderIds } }, select: { id: true, tenderId: true, method: true, provider: true, last4: true } });
  const tenderById = new Map(tenders.map((t) => [t.id, t]));
  return rows.map((t) => {
    const tender = t.tenderId ? tenderById.get(t.tenderId) : undefined;
    return {
      taskId: t.id,
      cancellationId: t.cancellationId,
      orderId: t.cancellation.orderId,
      externalId: t.cancellation.order.externalId,
      storeId: t.cancellation.order.storeId,
      amount: formatAmount(t.amount, t.currency),
      currency: t.currency,
      tender: tender ? { tenderId: tender.tenderId, method: tender.method, provider: tender.provider, last4: tender.last4 } : null,
      reason: t.reason,
      origin: t.origin,
      verifyAtProvider: t.verifyAtProvider,
      status: t.status,
      reference: t.reference,
      createdAt: t.createdAt.toISOString(),
      completedAt: t.completedAt?.toISOString() ?? null,
    };
  });
}
