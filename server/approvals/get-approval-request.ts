import { z } from "zod";
import { type Actor, canSeeStore, hasPermission } from "@/server/auth/permissions";
import { CANCELLATION_INCLUDE, toCancellationView } from "@/server/cancellations/cancellation-view";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { formatAmount } from "@/server/domain/money";
import { customerContact } from "@/server/orders/order-view";
import { decisionBlockFor } from "@/server/domain/decision-rules";
import { isUuid } from "@/server/domain/ids";
import { paymentViewerFor, tenderView } from "@/server/payments/payment-view";

export const ZGetApprovalRequestSchema = z.object({ cancellationId: z.string().min(1).max(100) });

/**
 * One request as the approver reviews it: the refund breakdown and where the
 * money goes, the order lines it touches, and whether this actor may decide
 * it. Any status, so that a request decided meanwhile still shows what
 * happened. Outside a manager's stores it does not exist (404).
 */
export async function getApprovalRequest({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { cancellationId } = ZGetApprovalRequestSchema.parse(input);
  const notFound = new AppError(ErrorCode.NOT_FOUND, `Cancellation ${cancellationId} was not found.`);
  if (!isUuid(cancellationId)) throw notFound;
  const row = await db.cancellation.findUnique({
    where: { id: cancellationId },
    include: {
      ...CANCELLATION_INCLUDE,
      order: { include: { lines: { orderBy: { position: "asc" } }, tenders: { orderBy: { position: "asc" } } } },
    },
  });
  const c = row && numbered(row);
  if (!c || !canSeeStore(actor, c.order.storeId)) throw notFound;
  const pii = hasPermission(actor, "read_order_pii");
  const payment = paymentViewerFor(actor);
  const money = (minor: number) => formatAmount(minor, c.currency);
  const touched = new Set(c.items.map((i) => i.orderLineId));
  return {
    serverTime: new Date().toISOString(),
    cancellation: toCancellationView(c, payment),
    expiresAt: c.expiresAt?.toISOString() ?? null,
    approverRole: c.approverRole,
    block: decisionBlockFor(actor, c),
    /** So that the page says "You approved" rather than naming the reader. */
    viewerId: actor.userId,
    order: {
      orderId: c.order.id,
      externalId: c.order.externalId,
      storeId: c.order.storeId,
      channel: c.order.channel,
      status: c.order.status,
      total: money(c.order.total),
      customer: customerContact({ name: c.order.customerName, email: c.order.customerEmail, phone: c.order.customerPhone }, pii),
      lines: c.order.lines
        .filter((l) => touched.has(l.id))
        .map((l) => ({ lineId: l.lineId, sku: l.sku, description: l.description, quantity: l.quantity, unitPrice: money(l.unitPrice), shipped: l.shipped, cancelled: l.cancelled })),
      tenders: c.order.tenders.map((t) => tenderView(payment, t)),
    },
  };
}

export type ApprovalRequestView = Awaited<ReturnType<typeof getApprovalRequest>>;
