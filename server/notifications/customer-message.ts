import type { Db } from "@/server/db/client";
import { CUSTOMER_EVENT_TEMPLATES as EVENT_TEMPLATES } from "@/server/events/notification-jobs";
import type { Prisma } from "@/server/generated/prisma/client";
import { usableLocale } from "./format";
import type { CustomerMessage, CustomerTemplate, RefundRoute } from "./templates/model";

/** The outbox events that tell the customer something (SPEC §10), and what they are told. */
export const CUSTOMER_EVENT_TEMPLATES: Partial<Record<string, CustomerTemplate>> = EVENT_TEMPLATES;

const MESSAGE_INCLUDE = {
  order: { select: { externalId: true, customerName: true, customerEmail: true, customerLocale: true, currency: true, lines: { select: { id: true, description: true, sku: true } } } },
  items: { include: { orderLine: { select: { description: true, sku: true, position: true } } } },
  allocations: { orderBy: { position: "asc" }, include: { tender: { select: { method: true } } } },
  warehouseLines: { orderBy: { lineId: "asc" } },
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
    notStopped: c.warehouseLines
      .filter((l) => l.stopped !== null && Number(l.stopped) < Number(l.requested))
      .map((l) => ({ description: descriptionOf(c, l.orderLineId) ?? l.sku, quantity: Number(l.requested) - Number(l.stopped) })),
    refunds: c.allocations.filter((a) => Number(a.amount) > 0).map((a) => ({ route: refundRoute(a), amount: Number(a.amount) })),
    // With the shipping its saga added once the order was fully cancelled (SPEC §3).
    refundTotal: Number(c.total) + (c.overrideNoRefund ? 0 : Number(c.shippingAdded) + Number(c.shippingTaxAdded)),
    shippingRefunded: Number(c.shipping) + Number(c.shippingTax) > 0 || (!c.overrideNoRefund && Number(c.shippingAdded) + Number(c.shippingTaxAdded) > 0),
    supportEmail,
  };
}

/** The line's description as the customer knows it, from the order: the item is gone when no unit of it was stopped. */
function descriptionOf(c: MessageCancellation, orderLineId: string): string | undefined {
  const line = c.order.lines.find((l) => l.id === orderLineId);
  return line ? line.description.trim() || line.sku : undefined;
}
