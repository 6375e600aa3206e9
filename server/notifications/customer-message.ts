import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/generated/prisma/client";
import { usableLocale } from "./format";
import type { CustomerMessage, CustomerTemplate, RefundRoute } from "./templates/model";

/** The outbox events that tell the customer something (SPEC §10), and what they are told. */
export const CUSTOMER_EVENT_TEMPLATES: Partial<Record<string, CustomerTemplate>> = {
  CancellationCompleted: "cancellation_completed",
  CancellationFailed: "cancellation_failed",
  CancellationRejected: "cancellation_rejected",
  CancellationExpired: "cancellation_expired",
  CancellationWithdrawn: "cancellation_withdrawn",
};

const MESSAGE_INCLUDE = {
  order: { select: { externalId: true, customerName: true, customerEmail: true, customerLocale: true, currency: true } },
  items: { include: { orderLine: { select: { description: true, sku: true, position: true } } } },
  allocations: { orderBy: { position: "asc" }, include: { tender: { select: { method: true } } } },
} as const satisfies Prisma.CancellationInclude;

export type MessageCancellation = Prisma.CancellationGetPayload<{ include: typeof MESSAGE_INCLUDE }>;

export function loadMessageCancellation(db: Db | Prisma.TransactionClient, cancellationId: string) {
  return db.cancellation.findUnique({ where: { id: cancellationId }, include: MESSAGE_INCLUDE });
}

type Allocation = MessageCancellation["allocations"][number];

/** A part of the refund as the customer sees it; a part that needs a person promises no timing. */
export function refundRoute(a: Pick<Allocation, "operation" | "status"> & { tender: { method: string } | null }): RefundRoute {
  if (a.operation === "manual" || a.status === "manual_required" || a.status === "failed") return "manual";
  if (a.operation === "store_credit") return "store_credit";
  const method = a.tender?.method;
  if (method === "gift_card") return "gift_card";
  if (method === "store_credit") return "store_credit";
  if (a.operation === "reversal") return method === "paypal" ? "paypal_release" : "card_release";
  return method === "paypal" ? "paypal_refund" : "card_refund";
}

export function toCustomerMessage(template: CustomerTemplate, c: MessageCancellation, supportEmail: string): CustomerMessage {
  const items = [...c.items]
    .sort((a, b) => a.orderLine.position - b.orderLine.position)
    .map((i) => ({ description: i.orderLine.description.trim() || i.orderLine.sku, quantity: Number(i.quantity) }));
  return {
    template,
    locale: usableLocale(c.order.customerLocale),
    currency: c.currency,
    customerName: c.order.customerName,
    orderExternalId: c.order.externalId,
    items,
    refunds: c.allocations.filter((a) => Number(a.amount) > 0).map((a) => ({ route: refundRoute(a), amount: Number(a.amount) })),
    refundTotal: Number(c.total),
    shippingRefunded: Number(c.shipping) + Number(c.shippingTax) > 0,
    supportEmail,
  };
}
