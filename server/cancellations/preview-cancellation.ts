import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { allocateRefund, type AllocationEntry } from "@/server/domain/allocation";
import { type ApprovalDecision, type ApprovalFacts, checkReason, evaluateApproval, explainApproval } from "@/server/domain/approval-policy";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { formatAmount } from "@/server/domain/money";
import { isOrderCancellable } from "@/server/domain/quantities";
import { computeRefund, type RefundBreakdown } from "@/server/domain/refund";
import type { Prisma } from "@/server/generated/prisma/client";
import { isUuid } from "@/server/domain/ids";
import { type LoadedOrder, loadOrderAggregate, lockOrder, notFound, visibleOrder } from "@/server/orders/load-order";
import { businessRulesAt, getBusinessRules } from "./business-rules";
import { requestsOverride, type TCancellationRequest, ZCancellationRequestSchema } from "./cancellation-request.schema";
import { toRefundState, toTenderStates } from "./to-domain";

export interface CancellationPlan {
  order: LoadedOrder;
  request: TCancellationRequest;
  breakdown: RefundBreakdown;
  allocation: AllocationEntry[];
  approval: ApprovalDecision;
  approvalFacts: ApprovalFacts;
  approvalExpiryHours: number;
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
  return { order, request, breakdown, allocation, approval, approvalFacts, approvalExpiryHours: rules.approvalExpiryHours };
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

/** SPEC §7's preview answer. */
export function toPreviewView(plan: Pick<CancellationPlan, "order" | "breakdown" | "allocation" | "approval" | "approvalFacts">) {
  const { order, breakdown } = plan;
  const money = (minor: number) => formatAmount(minor, order.currency);
  return {
    orderId: order.id,
    currency: order.currency,
    previewVersion: order.version,
    lines: breakdown.lines.map((l) => ({
      orderLineId: l.lineId,
      quantity: l.quantity,
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
    approval: {
      required: plan.approval.required,
      reasons: plan.approval.reasons,
      approverRole: plan.approval.approverRole,
      currency: order.currency,
      total: money(breakdown.totals.total),
      limitRole: plan.approvalFacts.limitRole,
      limit: plan.approvalFacts.limit === null ? null : money(plan.approvalFacts.limit),
      excess: plan.approvalFacts.excess === null ? null : money(plan.approvalFacts.excess),
      velocity: plan.approvalFacts.velocity && {
        otherOrdersWithCancellations24h: plan.approvalFacts.velocity.otherOrdersWithCancellations24h,
        otherOrdersThreshold: plan.approvalFacts.velocity.otherOrdersThreshold,
        refunded7d: money(plan.approvalFacts.velocity.refunded7d),
        refundedThreshold: plan.approvalFacts.velocity.refundedThreshold === null ? null : money(plan.approvalFacts.velocity.refundedThreshold),
        tooManyOtherOrders: plan.approvalFacts.velocity.tooManyOtherOrders,
        refundedTooMuch: plan.approvalFacts.velocity.refundedTooMuch,
      },
    },
    overrides: breakdown.override
      ? {
          refundShipping: breakdown.override.refundShipping,
          noRefund: breakdown.override.noRefund,
          shippingAdded: money(breakdown.override.shippingAdded),
          notRefunded: money(breakdown.override.waived),
        }
      : null,
  };
}

export type PreviewView = ReturnType<typeof toPreviewView>;

export async function previewCancellation({ db, actor }: { db: Db; actor: Actor }, orderId: string, input: unknown): Promise<PreviewView> {
  const request = ZCancellationRequestSchema.parse(input);
  return toPreviewView(await planCancellation(db, actor, orderId, request));
}
