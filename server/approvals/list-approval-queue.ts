import { z } from "zod";
import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { ApprovalView } from "@/server/cancellations/preview-cancellation";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { currencyExponent } from "@/server/domain/currency";
import { formatAmount } from "@/server/domain/money";
import type { Prisma } from "@/server/generated/prisma/client";
import { maskName } from "@/server/orders/order-view";
import { decisionBlockFor } from "@/server/domain/decision-rules";

const ZAmountSchema = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, "an amount such as 500 or 612.40");

export const QUEUE_SORTS = ["expires", "oldest", "newest", "amount"] as const;

export const ZListApprovalQueueSchema = z
  .object({
    storeId: z.string().trim().min(1).max(50).optional(),
    reason: z.enum(["limit", "velocity"]).optional(),
    /** In major units of each request's own currency. */
    minAmount: ZAmountSchema.optional(),
    maxAmount: ZAmountSchema.optional(),
    /** Only requests waiting at least this many hours. */
    olderThanHours: z.number().int().min(1).max(24 * 365).optional(),
    /** expires: soonest to expire first (the default); amount: largest refund first. */
    sort: z.enum(QUEUE_SORTS).default("expires"),
  })
  .default({ sort: "expires" });

export type TListApprovalQueueInput = z.input<typeof ZListApprovalQueueSchema>;

const QUEUE_LIMIT = 200;

const ORDER_BY: Record<(typeof QUEUE_SORTS)[number], Prisma.CancellationOrderByWithRelationInput[]> = {
  expires: [{ expiresAt: "asc" }, { createdAt: "asc" }],
  oldest: [{ createdAt: "asc" }],
  newest: [{ createdAt: "desc" }],
  amount: [{ total: "desc" }, { createdAt: "asc" }],
};

/** "612.4" in a currency of `exponent` decimals, in minor units, rounded toward `direction`. */
function minorOf(amount: string, exponent: number, direction: "up" | "down"): bigint {
  const [whole = "0", fraction = ""] = amount.split(".");
  const kept = fraction.slice(0, exponent).padEnd(exponent, "0");
  const minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(kept || "0");
  const dropped = /[1-9]/.test(fraction.slice(exponent));
  return dropped && direction === "up" ? minor + 1n : minor;
}

/** The stored approval facts, or null for requests stored before they were kept. */
function factsOf(value: unknown): ApprovalView | null {
  return value && typeof value === "object" && "reasons" in value ? (value as ApprovalView) : null;
}

/** The pending requests this actor sees: a store manager their stores only. */
function visiblePending(actor: Actor): Prisma.CancellationWhereInput {
  return { status: "pending_approval", ...(actor.storeIds === null ? {} : { order: { storeId: { in: actor.storeIds } } }) };
}

/**
 * The pending requests this approver may see (a store manager: their stores
 * only), filtered and sorted as asked. Requests the actor cannot decide are
 * listed too, with the reason, so that a manager sees what waits for an admin.
 * An amount filter reads in each request's own currency.
 */
export async function listApprovalQueue({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const q = ZListApprovalQueueSchema.parse(input ?? {});
  const and: Prisma.CancellationWhereInput[] = [visiblePending(actor)];
  if (q.storeId) and.push({ order: { storeId: q.storeId } });
  if (q.reason) and.push({ approvalReasons: { has: q.reason } });
  if (q.olderThanHours) and.push({ createdAt: { lte: new Date(Date.now() - q.olderThanHours * 3_600_000) } });
  if (q.minAmount || q.maxAmount) {
    const currencies = await db.cancellation.findMany({ where: visiblePending(actor), distinct: ["currency"], select: { currency: true } });
    and.push({
      OR: currencies.map(({ currency }) => {
        const exponent = currencyExponent(currency);
        return {
          currency,
          total: {
            ...(q.minAmount ? { gte: minorOf(q.minAmount, exponent, "up") } : {}),
            ...(q.maxAmount ? { lte: minorOf(q.maxAmount, exponent, "down") } : {}),
          },
        };
      }),
    });
  }
  const where: Prisma.CancellationWhereInput = { AND: and };
  const [rows, matching, stores] = await Promise.all([
    db.cancellation
      .findMany({
        where,
        orderBy: ORDER_BY[q.sort],
        take: QUEUE_LIMIT,
        include: {
          items: { include: { orderLine: { select: { description: true, sku: true, position: true } } } },
          order: { select: { externalId: true, storeId: true, customerName: true } },
          requestedBy: { select: { id: true, name: true } },
        },
      })
      .then(numbered),
    db.cancellation.count({ where }),
    actor.storeIds !== null
      ? Promise.resolve([...actor.storeIds].sort())
      : db.order
          .findMany({ where: { cancellations: { some: { status: "pending_approval" } } }, distinct: ["storeId"], select: { storeId: true }, orderBy: { storeId: "asc" } })
          .then((r) => r.map((o) => o.storeId)),
  ]);
  const pii = hasPermission(actor, "read_order_pii");
  return {
    serverTime: new Date().toISOString(),
    /** How many requests match the filters; at most QUEUE_LIMIT of them are listed. */
    matching,
    stores,
    requests: rows.map((c) => ({
      cancellationId: c.id,
      orderId: c.orderId,
      externalId: c.order.externalId,
      storeId: c.order.storeId,
      customerName: pii ? c.order.customerName : maskName(c.order.customerName),
      currency: c.currency,
      refundAmount: formatAmount(c.total, c.currency),
      reasons: c.approvalReasons,
      approval: factsOf(c.approvalFacts),
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

/**
 * How many pending requests this actor could decide now (not their own, not
 * above their limit): the number on the navigation's Approvals link.
 */
export async function countDecidableApprovals({ db, actor }: { db: Db; actor: Actor }) {
  const where: Prisma.CancellationWhereInput = {
    AND: [visiblePending(actor), { requestedById: { not: actor.userId } }, actor.role === "system_admin" ? {} : { OR: [{ approverRole: null }, { approverRole: { not: "system_admin" } }] }],
  };
  return { count: await db.cancellation.count({ where }) };
}
