import { type Actor, hasPermission } from "@/server/auth/permissions";
import { businessRulesAt } from "@/server/rules/business-rules";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { type VelocityClauses, velocityClauses } from "@/server/domain/approval-policy";
import { isUuid } from "@/server/domain/ids";
import { formatAmount } from "@/server/domain/money";
import type { Prisma } from "@/server/generated/prisma/client";
import { loadOrderAggregate, notFound, visibleOrder } from "./load-order";
import { customerContact } from "./order-view";

/** How many of the customer's other orders and cancellations the panel lists (the counts say how many there are). */
export const CUSTOMER_HISTORY_LIMIT = 10;

export interface CustomerContextRaw {
  orderId: string;
  currency: string;
  customer: { id: string; name: string; email: string; phone: string | null };
  otherOrders: { total: number; rows: { id: string; externalId: string; storeId: string; status: string; currency: string; total: number; createdAt: Date }[] };
  cancellations: {
    total: number;
    rows: { id: string; orderId: string; externalId: string; status: string; currency: string; total: number; createdAt: Date; items: { lineId: string; quantity: number }[] }[];
  };
  /** Completed cancellations of the visible orders, summed per currency. */
  refunded: { currency: string; amount: number }[];
  /** `your_stores`: counted over the stores the viewer may see only (a store manager's). */
  velocity: { otherOrdersWithCancellations24h: number; refunded7d: number; scope: "every_store" | "your_stores" } & VelocityClauses;
}

/**
 * The customer beside an order (issue 15, point 6): their other orders, their cancellations and
 * refunds, and SPEC §5's velocity counters. The counters come from loadOrderAggregate, the very
 * query planCancellation hands to evaluateApproval. For a viewer of every store (agents, admins)
 * they are the numbers the policy sees, across every store. SPEC §1 lets a store manager see only
 * their stores' orders, never a hint of another's: their counters, and the clauses drawn from
 * them, count those stores only (scope `your_stores`); the policy itself still counts every store.
 * The lists, likewise, hold only orders of stores the actor may see.
 */
export async function getCustomerContext({ db, actor }: { db: Db; actor: Actor }, orderId: string, opts: { now?: Date } = {}) {
  if (!isUuid(orderId)) throw notFound(orderId);
  const aggregate = await loadOrderAggregate(db, orderId, { velocity: true, velocityStores: actor.storeIds, now: opts.now });
  const order = visibleOrder(actor, orderId, aggregate.order);
  const { rules } = await businessRulesAt(db, aggregate.rulesVersion, db);

  const stores: Prisma.OrderWhereInput = actor.storeIds === null ? {} : { storeId: { in: actor.storeIds } };
  const ofCustomer: Prisma.OrderWhereInput = { customerId: order.customerId, ...stores };
  const otherOrdersWhere: Prisma.OrderWhereInput = { ...ofCustomer, id: { not: order.id } };
  const cancellationsWhere: Prisma.CancellationWhereInput = { order: ofCustomer };
  const [otherCount, otherRows, cancellationCount, cancellationRows, refunded] = await Promise.all([
    db.order.count({ where: otherOrdersWhere }),
    db.order.findMany({
      where: otherOrdersWhere,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: CUSTOMER_HISTORY_LIMIT,
      select: { id: true, externalId: true, storeId: true, status: true, currency: true, total: true, createdAt: true },
    }),
    db.cancellation.count({ where: cancellationsWhere }),
    db.cancellation.findMany({
      where: cancellationsWhere,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: CUSTOMER_HISTORY_LIMIT,
      select: { id: true, orderId: true, status: true, currency: true, total: true, createdAt: true, order: { select: { externalId: true } }, items: { select: { lineId: true, quantity: true } } },
    }),
    db.cancellation.groupBy({ by: ["currency"], where: { ...cancellationsWhere, status: "completed" }, _sum: { total: true }, orderBy: { currency: "asc" } }),
  ]);

  const raw: CustomerContextRaw = {
    orderId: order.id,
    currency: order.currency,
    customer: { id: order.customerId, name: order.customerName, email: order.customerEmail, phone: order.customerPhone },
    otherOrders: { total: otherCount, rows: numbered(otherRows) },
    cancellations: {
      total: cancellationCount,
      rows: numbered(cancellationRows).map(({ order: o, ...c }) => ({ ...c, externalId: o.externalId })),
    },
    refunded: refunded.map((r) => ({ currency: r.currency, amount: Number(r._sum.total ?? 0n) })),
    velocity: { ...aggregate.velocity!, ...velocityClauses(rules, order.currency, aggregate.velocity!), scope: actor.storeIds === null ? "every_store" : "your_stores" },
  };
  return toCustomerContextView(raw, { pii: hasPermission(actor, "read_order_pii"), customerData: hasPermission(actor, "read_customer_data") });
}

/**
 * The panel's view, masked as every customer view is (SPEC §1): name and email without
 * read_order_pii; the customer's history (other orders, cancellations, refunds) only with
 * read_customer_data. The velocity counters stay: the preview shows them to anyone who may cancel.
 */
export function toCustomerContextView(raw: CustomerContextRaw, can: { pii: boolean; customerData: boolean }) {
  const money = (minor: number, currency: string) => formatAmount(minor, currency);
  return {
    orderId: raw.orderId,
    customer: {
      id: raw.customer.id,
      ...customerContact(raw.customer, can.pii),
      masked: !can.pii,
    },
    history: can.customerData
      ? {
          otherOrders: {
            total: raw.otherOrders.total,
            orders: raw.otherOrders.rows.map((o) => ({
              orderId: o.id,
              externalId: o.externalId,
              storeId: o.storeId,
              status: o.status,
              currency: o.currency,
              total: money(o.total, o.currency),
              createdAt: o.createdAt.toISOString(),
            })),
          },
          cancellations: {
            total: raw.cancellations.total,
            cancellations: raw.cancellations.rows.map((c) => ({
              cancellationId: c.id,
              orderId: c.orderId,
              externalId: c.externalId,
              onThisOrder: c.orderId === raw.orderId,
              status: c.status,
              currency: c.currency,
              refundAmount: money(c.total, c.currency),
              units: c.items.reduce((sum, i) => sum + i.quantity, 0),
              createdAt: c.createdAt.toISOString(),
            })),
          },
          refunded: raw.refunded.map((r) => ({ currency: r.currency, amount: money(r.amount, r.currency) })),
        }
      : null,
    velocity: {
      scope: raw.velocity.scope,
      currency: raw.currency,
      otherOrdersWithCancellations24h: raw.velocity.otherOrdersWithCancellations24h,
      otherOrdersThreshold: raw.velocity.otherOrdersThreshold,
      refunded7d: money(raw.velocity.refunded7d, raw.currency),
      refundedThreshold: raw.velocity.refundedThreshold === null ? null : money(raw.velocity.refundedThreshold, raw.currency),
      tooManyOtherOrders: raw.velocity.tooManyOtherOrders,
      refundedTooMuch: raw.velocity.refundedTooMuch,
    },
  };
}

export type CustomerContextView = ReturnType<typeof toCustomerContextView>;
