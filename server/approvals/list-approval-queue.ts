import { z } from "zod";
import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { formatAmount } from "@/server/domain/money";
import type { Prisma } from "@/server/generated/prisma/client";
import { maskName } from "@/server/orders/order-view";
import { decisionBlockFor } from "./decision-block";

export const ZListApprovalQueueSchema = z
  .object({ storeId: z.string().trim().min(1).max(50).optional() })
  .default({});

export type TListApprovalQueueInput = z.input<typeof ZListApprovalQueueSchema>;

const QUEUE_LIMIT = 200;

/**
 * The pending requests this approver may see (a store manager: their stores
 * only), soonest to expire first. Requests the actor cannot decide are listed
 * too, with the reason, so that a manager sees what waits for an admin.
 */
export async function listApprovalQueue({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const q = ZListApprovalQueueSchema.parse(input ?? {});
  const order: Prisma.OrderWhereInput = {};
  if (actor.storeIds !== null) order.storeId = { in: actor.storeIds };
  if (q.storeId) order.AND = [{ storeId: q.storeId }];
  const rows = await db.cancellation.findMany({
    where: { status: "pending_approval", order },
    orderBy: [{ expiresAt: "asc" }, { createdAt: "asc" }],
    take: QUEUE_LIMIT,
    include: {
      items: { include: { orderLine: { select: { description: true, sku: true, position: true } } } },
      order: { select: { externalId: true, storeId: true, customerName: true } },
      requestedBy: { select: { id: true, name: true } },
    },
  }).then(numbered);
  const pii = hasPermission(actor, "read_order_pii");
  return {
    serverTime: new Date().toISOString(),
    requests: rows.map((c) => ({
      cancellationId: c.id,
      orderId: c.orderId,
      externalId: c.order.externalId,
      storeId: c.order.storeId,
      customerName: pii ? c.order.customerName : maskName(c.order.customerName),
      currency: c.currency,
      refundAmount: formatAmount(c.total, c.currency),
      reasons: c.approvalReasons,
      approverRole: c.approverRole,
      requestedBy: { userId: c.requestedBy.id, name: c.requestedBy.name },
      createdAt: c.createdAt.toISOString(),
      expiresAt: c.expiresAt?.toISOString() ?? null,
      items: [...c.items]
        .sort((a, b) => a.orderLine.position - b.orderLine.position)
        .map((i) => ({ orderLineId: i.lineId, description: i.orderLine.description, sku: i.orderLine.sku, quantity: i.quantity })),
      block: decisionBlockFor(actor, c),
    })),
  };
}

export type ApprovalQueue = Awaited<ReturnType<typeof listApprovalQueue>>;
