import { loadOrdersForActor } from "@/server/orders/load-order";
import { type OrderView, toOrderView } from "@/server/orders/order-view";
import { builder, money } from "../builder";

type Line = OrderView["lines"][number];
type Tender = OrderView["tenders"][number];

/**
 * An order as REST's GET /api/v1/orders/{orderId} answers it: the same toOrderView, so the same
 * masking of customer PII and payment references. Loaded by id through a DataLoader, so a page of
 * orders is one batch, and another store's order is NOT_FOUND like a missing one.
 */
export const OrderRef = builder.loadableObjectRef<OrderView, string>("Order", {
  load: async (ids, ctx) => {
    const orders = await loadOrdersForActor(ctx.db, ctx.actor, ids);
    return orders.map((o) => (o instanceof Error ? o : toOrderView(o, ctx.actor)));
  },
});

OrderRef.implement({
  fields: (t) => ({
    id: t.exposeID("orderId"),
    channel: t.exposeString("channel"),
    externalId: t.exposeString("externalId"),
    storeId: t.exposeString("storeId"),
    status: t.exposeString("status", { description: "OPEN, PARTIALLY_CANCELLED, CANCELLED, PARTIALLY_SHIPPED, SHIPPED or COMPLETED (SPEC §2)." }),
    version: t.exposeInt("version", { description: "Increments on every change; a preview's previewVersion." }),
    currency: t.exposeString("currency"),
    createdAt: t.field({ type: "DateTime", resolve: (o) => o.createdAt }),
    customer: t.field({ type: CustomerRef, resolve: (o) => o.customer }),
    lines: t.field({ type: [OrderLineRef], resolve: (o) => o.lines.map((l) => ({ ...l, currency: o.currency })) }),
    discounts: t.field({ type: [DiscountRef], resolve: (o) => o.discounts.map((d) => ({ ...d, currency: o.currency })) }),
    shipping: t.field({ type: "Money", resolve: (o) => money(o.shipping.amount, o.currency) }),
    shippingTax: t.field({ type: "Money", resolve: (o) => money(o.shipping.tax, o.currency) }),
    total: t.field({ type: "Money", resolve: (o) => money(o.total, o.currency) }),
    tenders: t.field({ type: [TenderRef], resolve: (o) => o.tenders.map((x) => ({ ...x, currency: o.currency })) }),
  }),
});

const CustomerRef = builder.objectRef<OrderView["customer"]>("Customer").implement({
  description: "Name, email and phone are masked without read_order_pii (SPEC §1); `masked` says so.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    email: t.exposeString("email"),
    phone: t.exposeString("phone", { nullable: true, description: "As the channel gave it at import; null: none given." }),
    masked: t.exposeBoolean("masked"),
  }),
});

const OrderLineRef = builder.objectRef<Line & { currency: string }>("OrderLine").implement({
  fields: (t) => ({
    lineId: t.exposeString("lineId", { description: "The channel's line id: the orderLineId of a cancellation." }),
    sku: t.exposeString("sku"),
    description: t.exposeString("description"),
    quantity: t.exposeInt("quantity"),
    unitPrice: t.field({ type: "Money", resolve: (l) => money(l.unitPrice, l.currency) }),
    discount: t.field({ type: "Money", resolve: (l) => money(l.discount, l.currency) }),
    tax: t.field({ type: "Money", resolve: (l) => money(l.tax, l.currency) }),
    locationId: t.exposeString("locationId"),
    shipped: t.exposeInt("shipped"),
    released: t.exposeInt("released"),
    cancelled: t.exposeInt("cancelled"),
    pendingCancel: t.exposeInt("pendingCancel"),
    cancellable: t.exposeInt("cancellable"),
  }),
});

const DiscountRef = builder.objectRef<OrderView["discounts"][number] & { currency: string }>("OrderDiscount").implement({
  fields: (t) => ({
    code: t.exposeString("code"),
    amount: t.field({ type: "Money", resolve: (d) => money(d.amount, d.currency) }),
  }),
});

const TenderRef = builder.objectRef<Tender & { currency: string }>("Tender").implement({
  description: "providerReference is null (or the last 4 of a stored-value account) without read_payment_information.",
  fields: (t) => ({
    tenderId: t.exposeString("tenderId"),
    method: t.exposeString("method"),
    provider: t.exposeString("provider"),
    brand: t.exposeString("brand", { nullable: true }),
    last4: t.exposeString("last4", { nullable: true }),
    providerReference: t.exposeString("providerReference", { nullable: true }),
    authorized: t.field({ type: "Money", resolve: (x) => money(x.authorized, x.currency) }),
    captured: t.field({ type: "Money", resolve: (x) => money(x.captured, x.currency) }),
    reversed: t.field({ type: "Money", resolve: (x) => money(x.reversed, x.currency) }),
    refunded: t.field({ type: "Money", resolve: (x) => money(x.refunded, x.currency) }),
  }),
});

/** The seed's `Item`: what a cancelled line is, read from the order (through the same loader). */
export const ItemRef = builder.objectRef<Line & { currency: string }>("Item").implement({
  fields: (t) => ({
    sku: t.exposeString("sku"),
    description: t.exposeString("description"),
    unitPrice: t.field({ type: "Money", resolve: (l) => money(l.unitPrice, l.currency) }),
  }),
});
