import type { Db } from "@/server/db/client";
import { CUSTOMER_EVENT_TEMPLATES as EVENT_TEMPLATES } from "@/server/events/notification-jobs";
import type { CancellationAllocation, Prisma } from "@/server/generated/prisma/client";
import { usableLocale } from "./format";
import type { CustomerMessage, CustomerTemplate, RefundRoute } from "./templates/model";

/** The outbox events that tell the customer something (SPEC §10), and what they are told. */
export const CUSTOMER_EVENT_TEMPLATES: Partial<Record<string, CustomerTemplate>> = EVENT_TEMPLATES;

/** What a customer's message says of a cancellation (the `CustomerMessage` is made of it). */
export interface MessageCancellation {
  id: string;
  orderId: string;
  currency: string;
  total: number;
  shipping: number;
  shippingTax: number;
  shippingAdded: number;
  shippingTaxAdded: number;
  overrideNoRefund: boolean;
  notifyCustomer: boolean;
  order: { externalId: string; customerName: string; customerEmail: string; customerLocale: string | null; currency: string; lines: { id: string; description: string; sku: string }[] };
  items: { quantity: number; orderLine: { description: string; sku: string; position: number } }[];
  allocations: (Pick<CancellationAllocation, "operation" | "status"> & { amount: number; tender: { method: string } | null })[];
  warehouseLines: { orderLineId: string; sku: string; requested: number; stopped: number | null }[];
}

/**
 * The cancellation with its order, items, allocations and warehouse lines in ONE statement (the
 * notify_customer job's read; Prisma's include was a query per relation, eight in all), and the
 * id of the message already stored for `eventId` and the order's customer, if any.
 */
export async function loadMessageCancellation(db: Db | Prisma.TransactionClient, cancellationId: string, eventId: string): Promise<{ c: MessageCancellation; storedId: string | null } | null> {
  const rows = await db.$queryRaw<{ c: MessageCancellation; stored_id: string | null }[]>`
    SELECT json_build_object(
             'id', c.id, 'orderId', c.order_id, 'currency', c.currency, 'total', c.total, 'shipping', c.shipping, 'shippingTax', c.shipping_tax,
             'shippingAdded', c.shipping_added, 'shippingTaxAdded', c.shipping_tax_added, 'overrideNoRefund', c.override_no_refund, 'notifyCustomer', c.notify_customer,
             'order', json_build_object('externalId', o.external_id, 'customerName', o.customer_name, 'customerEmail', o.customer_email, 'customerLocale', o.customer_locale, 'currency', o.currency,
                        'lines', (SELECT coalesce(json_agg(json_build_object('id', l.id, 'description', l.description, 'sku', l.sku)), '[]') FROM order_lines l WHERE l.order_id = o.id)),
             'items', (SELECT coalesce(json_agg(json_build_object('quantity', i.quantity, 'orderLine', json_build_object('description', l.description, 'sku', l.sku, 'position', l.position))), '[]')
                         FROM cancellation_items i JOIN order_lines l ON l.id = i.order_line_id WHERE i.cancellation_id = c.id),
             'allocations', (SELECT coalesce(json_agg(json_build_object('operation', a.operation, 'status', a.status, 'amount', a.amount, 'tender', CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('method', t.method) END) ORDER BY a.position), '[]')
                               FROM cancellation_allocations a LEFT JOIN tenders t ON t.id = a.tender_id WHERE a.cancellation_id = c.id),
             'warehouseLines', (SELECT coalesce(json_agg(json_build_object('orderLineId', w.order_line_id, 'sku', w.sku, 'requested', w.requested, 'stopped', w.stopped) ORDER BY w.line_id), '[]')
                                  FROM warehouse_cancellation_lines w WHERE w.cancellation_id = c.id)) AS c,
           (SELECT n.id FROM customer_notifications n WHERE n.event_id = ${eventId}::uuid AND n.recipient = o.customer_email) AS stored_id
      FROM cancellations c JOIN orders o ON o.id = c.order_id
     WHERE c.id = ${cancellationId}::uuid`;
  const row = rows[0];
  return row ? { c: row.c, storedId: row.stored_id } : null;
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
