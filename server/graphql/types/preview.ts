import type { PreviewView } from "@/server/cancellations/preview-cancellation";
import { builder, money } from "../builder";
import { RefundTotalsRef } from "./cancellation";

type Line = PreviewView["lines"][number];
type Approval = PreviewView["approval"];

/** SPEC §7's preview answer (toPreviewView, as REST answers it), money as Money. */
export const CancellationPreviewRef = builder.objectRef<PreviewView>("CancellationPreview").implement({
  fields: (t) => ({
    orderId: t.exposeString("orderId"),
    currency: t.exposeString("currency"),
    previewVersion: t.exposeInt("previewVersion", { description: "Pass it to cancelPartialQuantity: a stale one is refused with STALE_PREVIEW and a fresh preview." }),
    lines: t.field({ type: [PreviewLineRef], resolve: (p) => p.lines.map((l) => ({ ...l, currency: p.currency })) }),
    totals: t.field({ type: RefundTotalsRef, resolve: (p) => ({ ...p.totals, currency: p.currency }) }),
    allocation: t.field({ type: [PreviewAllocationRef], resolve: (p) => p.allocation.map((a) => ({ ...a, currency: p.currency })) }),
    approvalRequired: t.exposeBoolean("approvalRequired"),
    approvalReasons: t.exposeStringList("approvalReasons"),
    approval: t.field({ type: ApprovalGateRef, resolve: (p) => p.approval }),
    explanation: t.field({
      type: RefundExplanationRef,
      description: "Why this amount (issue 15): the domain's own numbers behind the refund, per line, for the shipping and per tender.",
      resolve: (p) => ({ ...p.explanation, currency: p.currency }),
    }),
  }),
});

type Explanation = PreviewView["explanation"];
type WithCurrency<T> = T & { currency: string };

const ProrationRef = builder.objectRef<WithCurrency<Explanation["lines"][number]["merchandise"]>>("RefundProration").implement({
  description: "remaining × units / of, rounded half up to the minor unit; or, for the line's last units, the exact remainder.",
  fields: (t) => ({
    remaining: t.field({ type: "Money", resolve: (s) => money(s.remaining, s.currency) }),
    units: t.exposeInt("units"),
    of: t.exposeInt("of"),
    rule: t.exposeString("rule", { description: "last_units_remainder or proportional_half_up" }),
    unrounded: t.exposeString("unrounded", { nullable: true, description: "The share before rounding, cut one decimal past the currency's; null for the remainder rule." }),
    result: t.field({ type: "Money", resolve: (s) => money(s.result, s.currency) }),
  }),
});

const LineExplanationRef = builder.objectRef<WithCurrency<Explanation["lines"][number]>>("RefundLineExplanation").implement({
  fields: (t) => ({
    orderLineId: t.exposeString("orderLineId"),
    quantity: t.exposeInt("quantity"),
    net: t.field({ type: "Money", description: "What the line was paid for, after its own and its share of the order discounts.", resolve: (l) => money(l.net, l.currency) }),
    orderDiscountShare: t.field({ type: "Money", nullable: true, resolve: (l) => (l.orderDiscount ? money(l.orderDiscount.share, l.currency) : null) }),
    merchandise: t.field({ type: ProrationRef, resolve: (l) => ({ ...l.merchandise, currency: l.currency }) }),
    tax: t.field({ type: ProrationRef, resolve: (l) => ({ ...l.tax, currency: l.currency }) }),
    total: t.field({ type: "Money", resolve: (l) => money(l.refund.total, l.currency) }),
  }),
});

const TenderExplanationRef = builder.objectRef<WithCurrency<Explanation["tenders"][number]>>("RefundTenderExplanation").implement({
  fields: (t) => ({
    tenderId: t.exposeString("tenderId"),
    operation: t.exposeString("operation"),
    reason: t.exposeString("reason", { description: "uncaptured_authorization (a reversal), captured_refund, store_credit or manual_task" }),
    amount: t.field({ type: "Money", resolve: (x) => money(x.amount, x.currency) }),
  }),
});

const RefundExplanationRef = builder.objectRef<WithCurrency<Explanation>>("RefundExplanation").implement({
  fields: (t) => ({
    lines: t.field({ type: [LineExplanationRef], resolve: (x) => x.lines.map((l) => ({ ...l, currency: x.currency })) }),
    shippingRefunded: t.boolean({ resolve: (x) => x.shipping.refunded }),
    shippingReason: t.string({ description: "completes_order, override, units_left, units_shipped, held_elsewhere, policy_never, none_charged, already_settled or no_refund_override", resolve: (x) => x.shipping.reason }),
    tenders: t.field({ type: [TenderExplanationRef], resolve: (x) => x.tenders.map((e) => ({ ...e, currency: x.currency })) }),
    total: t.field({ type: "Money", resolve: (x) => money(x.total, x.currency) }),
  }),
});

const PreviewLineRef = builder.objectRef<Line & { currency: string }>("PreviewLine").implement({
  fields: (t) => ({
    orderLineId: t.exposeString("orderLineId"),
    quantity: t.exposeInt("quantity"),
    subtotal: t.field({ type: "Money", resolve: (l) => money(l.subtotal, l.currency) }),
    discount: t.field({ type: "Money", resolve: (l) => money(l.discount, l.currency) }),
    tax: t.field({ type: "Money", resolve: (l) => money(l.tax, l.currency) }),
    total: t.field({ type: "Money", resolve: (l) => money(l.total, l.currency) }),
  }),
});

const PreviewAllocationRef = builder.objectRef<PreviewView["allocation"][number] & { currency: string }>("PreviewAllocation").implement({
  fields: (t) => ({
    tenderId: t.exposeString("tenderId"),
    operation: t.exposeString("operation", { description: "reversal, refund, store_credit or manual." }),
    amount: t.field({ type: "Money", resolve: (a) => money(a.amount, a.currency) }),
  }),
});

const ApprovalVelocityRef = builder.objectRef<WithCurrency<NonNullable<Approval["velocity"]>>>("ApprovalVelocity").implement({
  description: "SPEC §5's velocity clauses: the customer's counters the policy used, and the thresholds they are held against.",
  fields: (t) => ({
    otherOrdersWithCancellations24h: t.exposeInt("otherOrdersWithCancellations24h"),
    otherOrdersThreshold: t.exposeInt("otherOrdersThreshold"),
    refunded7d: t.field({ type: "Money", resolve: (v) => money(v.refunded7d, v.currency) }),
    refundedThreshold: t.field({ type: "Money", nullable: true, resolve: (v) => (v.refundedThreshold === null ? null : money(v.refundedThreshold, v.currency)) }),
    tooManyOtherOrders: t.exposeBoolean("tooManyOtherOrders"),
    refundedTooMuch: t.exposeBoolean("refundedTooMuch"),
  }),
});

const ApprovalGateRef = builder.objectRef<Approval>("ApprovalGate").implement({
  description: "SPEC §5: whether approval is needed, by whom, and the limit and excess it is judged by.",
  fields: (t) => ({
    required: t.exposeBoolean("required"),
    reasons: t.exposeStringList("reasons"),
    approverRole: t.exposeString("approverRole", { nullable: true }),
    total: t.field({ type: "Money", resolve: (a) => money(a.total, a.currency) }),
    limitRole: t.exposeString("limitRole", { nullable: true }),
    limit: t.field({ type: "Money", nullable: true, resolve: (a) => (a.limit === null ? null : money(a.limit, a.currency)) }),
    excess: t.field({ type: "Money", nullable: true, resolve: (a) => (a.excess === null ? null : money(a.excess, a.currency)) }),
    managerLimit: t.field({
      type: "Money",
      nullable: true,
      description: "The store manager's limit, when manager_limit is a reason (a system admin must approve).",
      resolve: (a) => (a.managerLimit === null ? null : money(a.managerLimit, a.currency)),
    }),
    managerExcess: t.field({ type: "Money", nullable: true, description: "By how much the total is over the store manager's limit.", resolve: (a) => (a.managerExcess === null ? null : money(a.managerExcess, a.currency)) }),
    velocity: t.field({ type: ApprovalVelocityRef, nullable: true, description: "The velocity counters and their thresholds, when velocity is a reason.", resolve: (a) => (a.velocity ? { ...a.velocity, currency: a.currency } : null) }),
  }),
});
