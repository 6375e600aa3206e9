import { z } from "zod";
import { DATE_RANGE_MESSAGE, isFilterDate } from "@/server/domain/date-range";
import { type Actor, canSeeStore } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { formatAmount } from "@/server/domain/money";
import { loadOrderForActor } from "@/server/orders/load-order";
import { unavailableProviders } from "@/server/payments/registry";
import { CANCELLATION_INCLUDE, type LoadedCancellation, loadCancellation, progressOf, toCancellationView } from "./cancellation-view";
import { isUuid } from "@/server/domain/ids";
import { paymentViewerFor } from "@/server/payments/payment-view";

export async function getCancellation({ db, actor }: { db: Db; actor: Actor }, orderId: string, cancellationId: string) {
  await loadOrderForActor(db, actor, orderId);
  const c = isUuid(cancellationId) ? await loadCancellation(db, cancellationId) : null;
  if (!c || c.orderId !== orderId) throw new AppError(ErrorCode.NOT_FOUND, `Cancellation ${cancellationId} was not found on order ${orderId}.`);
  return toCancellationView(c, paymentViewerFor(actor), c.status === "processing" ? await unavailableProviders(db) : undefined);
}

/**
 * Cancellations by id alone (GraphQL's `cancellation(id)` and its DataLoader), each as the actor may
 * see it: one that does not exist, or whose order is in a store the actor may not see, is the same
 * NOT_FOUND naming only the cancellation, never a hint of the order.
 */
export async function loadVisibleCancellations(db: Db, actor: Actor, cancellationIds: readonly string[]): Promise<(LoadedCancellation | AppError)[]> {
  const ids = [...new Set(cancellationIds.filter(isUuid))];
  const rows = ids.length
    ? numbered(await db.cancellation.findMany({ where: { id: { in: ids } }, include: { ...CANCELLATION_INCLUDE, order: { select: { storeId: true } } } }))
    : [];
  const byId = new Map(rows.map((c) => [c.id, c]));
  return cancellationIds.map((id) => {
    const c = byId.get(id);
    return c && canSeeStore(actor, c.order.storeId) ? c : new AppError(ErrorCode.NOT_FOUND, `Cancellation ${id} was not found.`);
  });
}

const STATUSES = ["pending_approval", "awaiting_warehouse", "rejected", "processing", "completed", "failed", "expired", "withdrawn"] as const;

export const ZListCancellationsSchema = z.object({
  status: z.enum(STATUSES).optional(),
  dateFrom: z.iso.date().refine(isFilterDate, DATE_RANGE_MESSAGE).optional(),
  dateTo: z.iso.date().refine(isFilterDate, DATE_RANGE_MESSAGE).optional(),
});

export async function listCancellations({ db, actor }: { db: Db; actor: Actor }, orderId: string, input: unknown) {
  const q = ZListCancellationsSchema.parse(input ?? {});
  await loadOrderForActor(db, actor, orderId);
  const rows = await db.cancellation.findMany({
    where: {
      orderId,
      status: q.status,
      createdAt: {
        gte: q.dateFrom ? new Date(`${q.dateFrom}T00:00:00Z`) : undefined,
        lt: q.dateTo ? new Date(new Date(`${q.dateTo}T00:00:00Z`).getTime() + 86_400_000) : undefined,
      },
    },
    orderBy: { createdAt: "desc" },
    include: {
      items: { include: { orderLine: { select: { description: true, sku: true, position: true } } } },
      allocations: { orderBy: { position: "asc" }, include: { tender: { select: { provider: true, method: true, brand: true, last4: true } } } },
      manualTasks: { select: { status: true, amount: true } },
      requestedBy: { select: { id: true, name: true } },
    },
  }).then(numbered);
  return {
    cancellations: rows.map((c) => ({
      cancellationId: c.id,
      status: c.status,
      progress: progressOf(c),
      refundAmount: formatAmount(c.total, c.currency),
      currency: c.currency,
      refundMethod: c.refundMethod,
      reason: c.reason,
      createdAt: c.createdAt.toISOString(),
      requestedBy: { userId: c.requestedBy.id, name: c.requestedBy.name },
      // Product names, so a history row says what was cancelled (issue 15).
      items: [...c.items].sort((a, b) => a.orderLine.position - b.orderLine.position).map((i) => ({ orderLineId: i.lineId, quantity: i.quantity, description: i.orderLine.description.trim() || i.orderLine.sku })),
    })),
  };
}
