import { type CancellationView, loadCancellationsOfOrders, toCancellationView } from "@/server/cancellations/cancellation-view";
import { loadVisibleCancellations } from "@/server/cancellations/get-cancellation";
import { paymentViewerFor } from "@/server/payments/payment-view";
import { builder, money } from "../builder";
import { CancellationStatus, RefundMethod } from "../enums";
import { ItemRef, OrderRef } from "./order";

type Line = CancellationView["lines"][number];
type RefundPart = CancellationView["refundDetails"]["allocation"][number];

/**
 * The seed's PartialCancellation, from the one serializer REST's status answer uses
 * (toCancellationView): payment references in refund details and timeline masked as REST masks them.
 */
export const PartialCancellationRef = builder.loadableObjectRef<CancellationView, string>("PartialCancellation", {
  load: async (ids, ctx) => {
    const viewer = paymentViewerFor(ctx.actor);
    const rows = await loadVisibleCancellations(ctx.db, ctx.actor, ids);
    return rows.map((c) => (c instanceof Error ? c : toCancellationView(c, viewer)));
  },
});

PartialCancellationRef.implement({
  fields: (t) => ({
    id: t.exposeID("cancellationId"),
    orderId: t.exposeString("orderId"),
    order: t.field({ type: OrderRef, resolve: (c) => c.orderId }),
    status: t.field({ type: CancellationStatus, resolve: (c) => c.status as typeof CancellationStatus.$inferType }),
    items: t.field({ type: [CancellationItemRef], resolve: (c) => c.lines.map((l) => ({ ...l, orderId: c.orderId, currency: c.currency })) }),
    refundAmount: t.field({ type: "Money", resolve: (c) => money(c.refundAmount, c.currency) }),
    refundMethod: t.field({ type: RefundMethod, resolve: (c) => c.refundMethod as typeof RefundMethod.$inferType }),
    reason: t.exposeString("reason", { nullable: true }),
    note: t.exposeString("note", { nullable: true }),
    currency: t.exposeString("currency"),
    previewVersion: t.exposeInt("previewVersion"),
    createdAt: t.field({ type: "DateTime", resolve: (c) => c.createdAt }),
    completedAt: t.field({ type: "DateTime", nullable: true, resolve: (c) => c.completedAt }),
    requestedBy: t.field({ type: RequesterRef, resolve: (c) => c.requestedBy }),
    approvalRequired: t.exposeBoolean("approvalRequired"),
    approvalReasons: t.exposeStringList("approvalReasons", { description: "limit, velocity, manager_limit (SPEC §5)." }),
    totals: t.field({ type: RefundTotalsRef, resolve: (c) => ({ ...c.totals, currency: c.currency }) }),
    refundDetails: t.field({ type: [RefundPartRef], resolve: (c) => c.refundDetails.allocation.map((a) => ({ ...a, currency: c.currency })) }),
    timeline: t.field({ type: [TimelineEntryRef], resolve: (c) => c.timeline }),
  }),
});

const CancellationItemRef = builder.objectRef<Line & { orderId: string; currency: string }>("CancellationItem").implement({
  fields: (t) => ({
    orderLineId: t.exposeString("orderLineId"),
    cancelledQuantity: t.exposeInt("quantity"),
    refundAmount: t.field({ type: "Money", resolve: (l) => money(l.total, l.currency) }),
    subtotal: t.field({ type: "Money", resolve: (l) => money(l.subtotal, l.currency) }),
    discount: t.field({ type: "Money", resolve: (l) => money(l.discount, l.currency) }),
    tax: t.field({ type: "Money", resolve: (l) => money(l.tax, l.currency) }),
    item: t.field({
      type: ItemRef,
      resolve: async (l, _args, ctx) => {
        // The order comes through the Order loader: one batch for every item of every cancellation.
        const order = await OrderRef.getDataloader(ctx).load(l.orderId);
        const line = order.lines.find((x) => x.lineId === l.orderLineId);
        if (!line) throw new Error(`Order ${l.orderId} has no line ${l.orderLineId}.`);
        return { ...line, currency: order.currency };
      },
    }),
  }),
});

const RequesterRef = builder.objectRef<CancellationView["requestedBy"]>("Requester").implement({
  fields: (t) => ({ userId: t.exposeID("userId"), name: t.exposeString("name") }),
});

export const RefundTotalsRef = builder.objectRef<CancellationView["totals"] & { currency: string }>("RefundTotals").implement({
  description: "SPEC §3's breakdown: total = subtotal − discount + tax + shipping + shippingTax.",
  fields: (t) => ({
    subtotal: t.field({ type: "Money", resolve: (x) => money(x.subtotal, x.currency) }),
    discount: t.field({ type: "Money", resolve: (x) => money(x.discount, x.currency) }),
    tax: t.field({ type: "Money", resolve: (x) => money(x.tax, x.currency) }),
    shipping: t.field({ type: "Money", resolve: (x) => money(x.shipping, x.currency) }),
    shippingTax: t.field({ type: "Money", resolve: (x) => money(x.shippingTax, x.currency) }),
    total: t.field({ type: "Money", resolve: (x) => money(x.total, x.currency) }),
  }),
});

const RefundPartRef = builder.objectRef<RefundPart & { currency: string }>("RefundPart").implement({
  description: "Where the money goes (SPEC §4); providerReference as the caller may see it.",
  fields: (t) => ({
    tenderId: t.exposeString("tenderId", { nullable: true }),
    method: t.exposeString("method", { nullable: true }),
    operation: t.exposeString("operation", { description: "reversal, refund, store_credit or manual." }),
    amount: t.field({ type: "Money", resolve: (a) => money(a.amount, a.currency) }),
    status: t.exposeString("status", { description: "pending, succeeded, failed or manual_required." }),
    providerReference: t.exposeString("providerReference", { nullable: true }),
  }),
});

const TimelineEntryRef = builder.objectRef<CancellationView["timeline"][number]>("TimelineEntry").implement({
  fields: (t) => ({
    at: t.field({ type: "DateTime", resolve: (e) => e.at }),
    step: t.exposeString("step"),
    status: t.exposeString("status"),
    detail: t.exposeString("detail", { nullable: true }),
  }),
});

builder.objectField(OrderRef, "cancellations", (t) =>
  t.loadableList({
    type: PartialCancellationRef,
    description: "Newest first. Loaded for every order of a page in one batch.",
    load: async (orderIds: string[], ctx) => {
      const viewer = paymentViewerFor(ctx.actor);
      const rows = await loadCancellationsOfOrders(ctx.db, orderIds);
      return orderIds.map((id) => rows.filter((c) => c.orderId === id).map((c) => toCancellationView(c, viewer)));
    },
    resolve: (order) => order.orderId,
  }),
);
