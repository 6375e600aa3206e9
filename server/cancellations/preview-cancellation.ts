import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { allocateRefund, type AllocationEntry } from "@/server/domain/allocation";
import { type ApprovalDecision, type ApprovalFacts, checkReason, evaluateApproval, explainApproval } from "@/server/domain/approval-policy";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { formatAmount } from "@/server/domain/money";
import type { TimelineData } from "@/server/domain/timeline-entry";
import { isOrderCancellable } from "@/server/domain/quantities";
import { explainRefund } from "@/server/domain/explain-refund";
import { computeRefund, type RefundBreakdown, type ShippingPolicy } from "@/server/domain/refund";
import type { Prisma } from "@/server/generated/prisma/client";
import { isUuid } from "@/server/domain/ids";
import { type LoadedOrder, loadOrderAggregate, lockOrder, notFound, visibleOrder } from "@/server/orders/load-order";
import { businessRulesAt, getBusinessRules } from "@/server/rules/business-rules";
import { requestsOverride, type TCancellationRequest, ZCancellationRequestSchema } from "./cancellation-request.schema";
import { toRefundExplanationView } from "./refund-explanation-view";
import { toRefundState, toTenderStates } from "./to-domain";
import { addLogContext } from "@/server/observability/logger";
import { metrics, outcomeOfError } from "@/server/observability/metrics";
import { withSpan } from "@/server/observability/spans";

export interface CancellationPlan {
  order: LoadedOrder;
  request: TCancellationRequest;
  breakdown: RefundBreakdown;
  allocation: AllocationEntry[];
  approval: ApprovalDecision;
  approvalFacts: ApprovalFacts;
  approvalExpiryHours: number;
  shippingPolicy: ShippingPolicy;
}

/**
 * Everything a cancellation would do, computed and changing nothing: the same
 * code serves the preview and, under the order's lock, the submit. The order, its
 * relations, the customer's velocity and the rules version come in one round trip
 * (loadOrderAggregate); the rules themselves from the in-process cache when it holds
 * that version. `cacheFrom` is the root client whose cache a transaction may use.
 */
export async function planCancellation(
  db: Db | Prisma.TransactionClient,
  actor: Actor,
  orderId: string,
  request: TCancellationRequest,
  opts: { lock?: boolean; cacheFrom?: Db } = {},
): Promise<CancellationPlan> {
  checkOverrides(actor, request, { requireNote: false });
  if (!isUuid(orderId)) {
    checkReason((await getBusinessRules(opts.cacheFrom ?? db)).rules, request.reason, request.note || undefined);
    throw notFound(orderId);
  }
  if (opts.lock) await lockOrder(db, orderId);
  const aggregate = await loadOrderAggregate(db, orderId, { velocity: true });
  const { rules } = await businessRulesAt(db, aggregate.rulesVersion, opts.cacheFrom);
  checkReason(rules, request.reason, request.note || undefined);
  const order = visibleOrder(actor, orderId, aggregate.order);
  if (!isOrderCancellable(order.status)) {
    throw new AppError(ErrorCode.ORDER_NOT_CANCELLABLE, `Order ${order.id} is ${order.status} and accepts no cancellation.`, { status: order.status });
  }
  const selection = request.orderLineIds.map((lineId, i) => ({ lineId, quantity: request.quantities[i]! }));
  const breakdown = computeRefund(toRefundState(order), selection, rules.shippingPolicy, request.overrides ?? {});
  const allocation = allocateRefund(breakdown.totals.total, toTenderStates(order), request.refundMethod);
  const approvalInput = { role: actor.role, currency: order.currency, total: breakdown.totals.total, rules, velocity: aggregate.velocity! };
  const approval = evaluateApproval(approvalInput);
  const approvalFacts = explainApproval(approvalInput, approval);
  return { order, request, breakdown, allocation, approval, approvalFacts, approvalExpiryHours: rules.approvalExpiryHours, shippingPolicy: rules.shippingPolicy };
}

/**
 * SPEC §5: overrides are for holders of override_cancellation_rules, and a submitted one carries
 * a note. The preview shows the effect before the note is written, so it asks for none.
 */
export function checkOverrides(actor: Actor, request: TCancellationRequest, opts: { requireNote: boolean }): void {
  if (!requestsOverride(request)) return;
  if (!hasPermission(actor, "override_cancellation_rules")) {
    throw new AppError(ErrorCode.OVERRIDE_FORBIDDEN, "Only store managers and admins may override the refund rules (refund shipping, or cancel with no refund).");
  }
  if (opts.requireNote && !request.note?.trim()) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, "An override needs a note that says why.", [{ path: "note", message: "an override needs a note" }]);
  }
}

/**
 * The approval gate with its numbers in major-unit strings: shown by the preview, and stored with a
 * request that waits for approval so that the queue says the same thing the requester saw.
 */
export function approvalView(plan: Pick<CancellationPlan, "order" | "breakdown" | "approval" | "approvalFacts">) {
  const money = (minor: number) => formatAmount(minor, plan.order.currency);
  const facts = plan.approvalFacts;
  return {
    required: plan.approval.required,
    reasons: plan.approval.reasons,
    approverRole: plan.approval.approverRole,
    currency: plan.order.currency,
    total: money(plan.breakdown.totals.total),
    limitRole: facts.limitRole,
    limit: facts.limit === null ? null : money(facts.limit),
    excess: facts.excess === null ? null : money(facts.excess),
    managerLimit: facts.managerLimit === null ? null : money(facts.managerLimit),
    managerExcess: facts.managerExcess === null ? null : money(facts.managerExcess),
    velocity: facts.velocity && {
      otherOrdersWithCancellations24h: facts.velocity.otherOrdersWithCancellations24h,
      otherOrdersThreshold: facts.velocity.otherOrdersThreshold,
      refunded7d: money(facts.velocity.refunded7d),
      refundedThreshold: facts.velocity.refundedThreshold === null ? null : money(facts.velocity.refundedThreshold),
      tooManyOtherOrders: facts.velocity.tooManyOtherOrders,
      refundedTooMuch: facts.velocity.refundedTooMuch,
    },
  };
}

export type ApprovalView = ReturnType<typeof approvalView>;

/** The approval gate as the timeline's facts: who approves, and the numbers that ask for it. */
export function approvalNeededFacts(plan: Pick<CancellationPlan, "order" | "breakdown" | "approval" | "approvalFacts">): TimelineData {
  const { approval, approvalFacts: facts } = plan;
  const v = facts.velocity;
  return {
    kind: "approval_needed",
    currency: plan.order.currency,
    total: plan.breakdown.totals.total,
    reasons: [...approval.reasons],
    approverRole: approval.approverRole ?? null,
    limitRole: facts.limitRole ?? null,
    limit: facts.limit,
    excess: facts.excess,
    managerLimit: facts.managerLimit,
    managerExcess: facts.managerExcess,
    velocity: v ? { otherOrders24h: v.otherOrdersWithCancellations24h, tooManyOtherOrders: v.tooManyOtherOrders, refunded7d: v.refunded7d, refundedTooMuch: v.refundedTooMuch } : null,
  };
}

/**
 * "Why this amount" (issue 15): the domain's explanation of this plan's refund, from the inputs the
 * plan computed it from (the order as loaded, the request, the rules' shipping policy).
 */
export function explanationView(plan: Pick<CancellationPlan, "order" | "request" | "breakdown" | "allocation" | "shippingPolicy">) {
  const { order, request } = plan;
  const explanation = explainRefund({
    order: toRefundState(order),
    orderDiscounts: order.discounts.map((d) => ({ code: d.code, amount: Number(d.amount) })),
    selection: request.orderLineIds.map((lineId, i) => ({ lineId, quantity: request.quantities[i]! })),
    policy: plan.shippingPolicy,
    overrides: request.overrides ?? {},
    breakdown: plan.breakdown,
    tenders: toTenderStates(order),
    allocation: plan.allocation,
    refundMethod: request.refundMethod,
  });
  return toRefundExplanationView(explanation, order.currency);
}

/** SPEC §7's preview answer. */
export function toPreviewView(plan: Pick<CancellationPlan, "order" | "request" | "breakdown" | "allocation" | "approval" | "approvalFacts" | "shippingPolicy">) {
  const { order, breakdown } = plan;
  const money = (minor: number) => formatAmount(minor, order.currency);
  // SPEC §11: units from the warehouse are refunded only if it stops them, so the refund is "up to".
  const fromWarehouse = breakdown.lines.some((l) => l.fromWarehouse > 0);
  return {
    orderId: order.id,
    currency: order.currency,
    previewVersion: order.version,
    warehouseConfirmationRequired: fromWarehouse,
    refundUpTo: fromWarehouse ? money(breakdown.totals.total) : null,
    lines: breakdown.lines.map((l) => ({
      orderLineId: l.lineId,
      quantity: l.quantity,
      fromWarehouse: l.fromWarehouse,
      subtotal: money(l.subtotal),
      discount: money(l.discount),
      tax: money(l.tax),
      total: money(l.total),
    })),
    totals: {
      subtotal: money(breakdown.totals.subtotal),
      discount: money(breakdown.totals.discount),
      tax: money(breakdown.totals.tax),
      shipping: money(breakdown.totals.shipping),
      shippingTax: money(breakdown.totals.shippingTax),
      total: money(breakdown.totals.total),
    },
    allocation: plan.allocation.map((a) => ({ tenderId: a.tenderId, operation: a.operation, amount: money(a.amount) })),
    approvalRequired: plan.approval.required,
    approvalReasons: plan.approval.reasons,
    // SPEC §5: the gate in advance, with the limit and the excess (and the velocity counters).
    approval: approvalView(plan),
    overrides: breakdown.override
      ? {
          refundShipping: breakdown.override.refundShipping,
          noRefund: breakdown.override.noRefund,
          shippingAdded: money(breakdown.override.shippingAdded),
          notRefunded: money(breakdown.override.waived),
        }
      : null,
    explanation: explanationView(plan),
  };
}

export type PreviewView = ReturnType<typeof toPreviewView>;

export async function previewCancellation({ db, actor }: { db: Db; actor: Actor }, orderId: string, input: unknown): Promise<PreviewView> {
  addLogContext({ orderId });
  return withSpan("cancellation preview", { "pc.order_id": orderId }, async () => {
    try {
      const request = ZCancellationRequestSchema.parse(input);
      const view = toPreviewView(await planCancellation(db, actor, orderId, request));
      metrics().previews.inc({ outcome: view.approvalRequired ? "needs_approval" : "ok" });
      return view;
    } catch (error) {
      metrics().previews.inc({ outcome: outcomeOfError(error) });
      throw error;
    }
  });
}
