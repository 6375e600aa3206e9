import { type Actor, hasPermission } from "@/server/auth/permissions";
import { formatAmount } from "@/server/domain/money";
import { cancellableQuantity } from "@/server/domain/quantities";
import { paymentViewerFor, tenderView } from "@/server/payments/payment-view";
import { maskPhone } from "./customer-phone";
import type { LoadedOrder } from "./load-order";

export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => (part ? `${part[0]}${"*".repeat(Math.max(2, part.length - 1))}` : part))
    .join(" ");
}

export function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}***@${domain}`;
}

/**
 * The customer's name, email and phone as a reader may see them (SPEC §1): masked without
 * read_order_pii. Every view that shows a customer goes through this one function.
 */
export function customerContact(c: { name: string; email: string; phone: string | null }, pii: boolean) {
  return pii ? { name: c.name, email: c.email, phone: c.phone } : { name: maskName(c.name), email: maskEmail(c.email), phone: c.phone === null ? null : maskPhone(c.phone) };
}

/** The API's view of an order: amounts as decimal strings, PII masked without read_order_pii. */
export function toOrderView(order: LoadedOrder, actor: Actor) {
  const money = (minor: number) => formatAmount(minor, order.currency);
  const pii = hasPermission(actor, "read_order_pii");
  const payment = paymentViewerFor(actor);
  return {
    orderId: order.id,
    channel: order.channel,
    externalId: order.externalId,
    storeId: order.storeId,
    status: order.status,
    version: order.version,
    currency: order.currency,
    createdAt: order.createdAt.toISOString(),
    customer: {
      id: order.customerId,
      ...customerContact({ name: order.customerName, email: order.customerEmail, phone: order.customerPhone }, pii),
      masked: !pii,
    },
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      description: l.description,
      quantity: l.quantity,
      unitPrice: money(l.unitPrice),
      discount: money(l.discount),
      tax: money(l.tax),
      locationId: l.locationId,
      shipped: l.shipped,
      released: l.released,
      cancelled: l.cancelled,
      pendingCancel: l.pendingCancel,
      cancellable: cancellableQuantity(l),
    })),
    discounts: order.discounts.map((d) => ({ code: d.code, amount: money(d.amount) })),
    shipping: { amount: money(order.shippingAmount), tax: money(order.shippingTax) },
    total: money(order.total),
    tenders: order.tenders.map((t) => ({
      ...tenderView(payment, t),
      authorized: money(t.authorized),
      captured: money(t.captured),
      reversed: money(t.reversed),
      refunded: money(t.refunded),
    })),
  };
}

export type OrderView = ReturnType<typeof toOrderView>;
