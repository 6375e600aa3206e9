import { type AllocationEntry, type RefundMethod, refundableAmount, reversibleAmount, type TenderState } from "./allocation";
import { currencyExponent } from "./currency";
import { exactQuotient, toSafeNumber } from "./money";
import {
  decideShipping,
  lineNet,
  pickedUnits,
  prorateLine,
  type RefundBreakdown,
  type RefundOrderState,
  type RefundOverrides,
  type RefundSelection,
  type ShippingPolicy,
} from "./refund";

/*
 * "Why this amount" (issue 15): the refund of SPEC §3–4 taken apart into the numbers it was
 * computed from. Nothing here computes a refund: the shares come from prorateLine and the shipping
 * from decideShipping, the functions computeRefund itself runs, and the amounts from the breakdown
 * and allocation the preview answers. Amounts are minor units; the view formats them.
 */

/** `remaining × units / of = result`: one proration of SPEC §3. */
export interface ProrationStep {
  /** Rn or Rt: what is left of the line's net or tax. */
  remaining: number;
  units: number;
  of: number;
  /** last_units: k = r, the exact remainder; otherwise the share rounded half up to the minor unit. */
  rule: "last_units_remainder" | "proportional_half_up";
  /** The share before rounding, as a major-unit decimal; null for the remainder rule. */
  unrounded: { major: string; exact: boolean } | null;
  result: number;
}

export interface OrderDiscountExplanation {
  codes: { code: string; amount: number }[];
  total: number;
  /** This line's part of `total`, spread in proportion to the lines' value after line discounts. */
  share: number;
  lineValue: number;
  ordersValue: number;
  unrounded: { major: string; exact: boolean };
}

export interface LineExplanation {
  lineId: string;
  quantity: number;
  fromWarehouse: number;
  orderedQuantity: number;
  unitPrice: number;
  gross: number;
  lineDiscount: number;
  orderDiscount: OrderDiscountExplanation | null;
  net: number;
  tax: number;
  /** What earlier cancellations (done or held) already took of this line. */
  earlier: { units: number; net: number; tax: number };
  merchandise: ProrationStep;
  taxStep: ProrationStep;
  /** noRefund override: the shares are settled without refund. */
  noRefund: boolean;
  refund: { subtotal: number; discount: number; merchandise: number; tax: number; total: number };
}

export type ShippingReason =
  | "none_charged"
  | "already_settled"
  | "completes_order"
  | "override"
  | "no_refund_override"
  | "policy_never"
  | "units_shipped"
  | "held_elsewhere"
  | "units_left";

export interface ShippingExplanation {
  refunded: boolean;
  reason: ShippingReason;
  shipping: number;
  shippingTax: number;
  /** Shipping and its tax not yet refunded on the order. */
  due: number;
  taxDue: number;
  unitsLeft: number;
  shippedUnits: number;
  heldElsewhere: number;
  /** The warehouse must stop units for this to be the last cancellation: if it cannot, no shipping. */
  dependsOnWarehouse: boolean;
}

export type TenderReason = "uncaptured_authorization" | "captured_refund" | "store_credit" | "manual_task";

export interface TenderExplanation {
  tenderId: string;
  method: TenderState["method"];
  operation: AllocationEntry["operation"];
  amount: number;
  reason: TenderReason;
  /** What the tender could still release or refund before this cancellation. */
  authorized: number;
  captured: number;
  reversible: number;
  refundable: number;
}

export interface RefundExplanation {
  lines: LineExplanation[];
  shipping: ShippingExplanation;
  tenders: TenderExplanation[];
  refundMethod: RefundMethod;
  total: number;
}

export interface ExplainRefundInput {
  order: RefundOrderState;
  orderDiscounts: readonly { code: string; amount: number }[];
  selection: readonly RefundSelection[];
  policy: ShippingPolicy;
  overrides?: RefundOverrides;
  /** computeRefund's answer for exactly these inputs. */
  breakdown: RefundBreakdown;
  /** The tenders as allocateRefund saw them, and its answer. */
  tenders: readonly TenderState[];
  allocation: readonly AllocationEntry[];
  refundMethod: RefundMethod;
}

function step(remaining: bigint, k: number, r: number, lastUnits: boolean, result: bigint, exponent: number): ProrationStep {
  return {
    remaining: toSafeNumber(remaining, "Remaining amount"),
    units: k,
    of: r,
    rule: lastUnits ? "last_units_remainder" : "proportional_half_up",
    unrounded: lastUnits ? null : exactQuotient(remaining * BigInt(k), BigInt(r), exponent),
    result: toSafeNumber(result, "Share"),
  };
}

function explainOrderDiscount(order: RefundOrderState, lineIndex: number, codes: ExplainRefundInput["orderDiscounts"], exponent: number): OrderDiscountExplanation | null {
  const line = order.lines[lineIndex]!;
  const total = codes.reduce((s, d) => s + BigInt(d.amount), 0n);
  if (total === 0n && line.orderDiscountShare === 0) return null;
  const afterLine = (l: RefundOrderState["lines"][number]) => BigInt(l.unitPrice) * BigInt(l.quantity) - BigInt(l.discount);
  const lineValue = afterLine(line);
  const ordersValue = order.lines.reduce((s, l) => s + afterLine(l), 0n);
  return {
    codes: codes.map((d) => ({ code: d.code, amount: d.amount })),
    total: toSafeNumber(total, "Order discounts"),
    share: line.orderDiscountShare,
    lineValue: toSafeNumber(lineValue, "Line value"),
    ordersValue: toSafeNumber(ordersValue, "Order value"),
    unrounded: exactQuotient(total * lineValue, ordersValue > 0n ? ordersValue : 1n, exponent),
  };
}

function shippingReason(input: ExplainRefundInput, decision: ReturnType<typeof decideShipping>): ShippingReason {
  const { order, breakdown } = input;
  if (order.shippingAmount + order.shippingTax === 0) return "none_charged";
  if (decision.shippingDue + decision.shippingTaxDue === 0) return "already_settled";
  if (breakdown.override?.noRefund && breakdown.override.shippingWaived + breakdown.override.shippingTaxWaived > 0) return "no_refund_override";
  if (decision.byPolicy) return "completes_order";
  if (input.overrides?.refundShipping) return "override";
  if (decision.policy === "never") return "policy_never";
  if (decision.shippedUnits > 0) return "units_shipped";
  if (decision.unitsLeft === 0 && decision.heldElsewhere > 0) return "held_elsewhere";
  return "units_left";
}

const TENDER_REASON: Record<AllocationEntry["operation"], TenderReason> = {
  reversal: "uncaptured_authorization",
  refund: "captured_refund",
  store_credit: "store_credit",
  manual: "manual_task",
};

export function explainRefund(input: ExplainRefundInput): RefundExplanation {
  const { order, breakdown } = input;
  const exponent = currencyExponent(order.currency);
  const picked = pickedUnits(order, input.selection);
  const lines = breakdown.lines.map((b): LineExplanation => {
    const index = order.lines.findIndex((l) => l.lineId === b.lineId);
    const line = order.lines[index]!;
    const p = prorateLine(line, b.quantity);
    const gross = BigInt(line.unitPrice) * BigInt(line.quantity);
    return {
      lineId: line.lineId,
      quantity: b.quantity,
      fromWarehouse: b.fromWarehouse,
      orderedQuantity: line.quantity,
      unitPrice: line.unitPrice,
      gross: toSafeNumber(gross, "Line gross"),
      lineDiscount: line.discount,
      orderDiscount: explainOrderDiscount(order, index, input.orderDiscounts, exponent),
      net: toSafeNumber(lineNet(line), "Line net"),
      tax: line.tax,
      earlier: { units: line.cancelled + line.pendingCancel, net: line.netRefunded, tax: line.taxRefunded },
      merchandise: step(p.remainingNet, p.k, p.r, p.lastUnits, p.netShare, exponent),
      taxStep: step(p.remainingTax, p.k, p.r, p.lastUnits, p.taxShare, exponent),
      noRefund: breakdown.override?.noRefund === true,
      refund: { subtotal: b.subtotal, discount: b.discount, merchandise: b.merchandise, tax: b.tax, total: b.total },
    };
  });
  const decision = decideShipping(order, picked, input.policy, input.overrides?.refundShipping === true);
  const reason = shippingReason(input, decision);
  const tenders = input.allocation.map((entry): TenderExplanation => {
    const tender = input.tenders.find((t) => t.tenderId === entry.tenderId)!;
    return {
      tenderId: entry.tenderId,
      method: tender.method,
      operation: entry.operation,
      amount: entry.amount,
      reason: TENDER_REASON[entry.operation],
      authorized: tender.authorized,
      captured: tender.captured,
      reversible: reversibleAmount(tender),
      refundable: refundableAmount(tender),
    };
  });
  return {
    lines,
    shipping: {
      refunded: breakdown.totals.shipping + breakdown.totals.shippingTax > 0,
      reason,
      shipping: breakdown.totals.shipping,
      shippingTax: breakdown.totals.shippingTax,
      due: decision.shippingDue,
      taxDue: decision.shippingTaxDue,
      unitsLeft: decision.unitsLeft,
      shippedUnits: decision.shippedUnits,
      heldElsewhere: decision.heldElsewhere,
      dependsOnWarehouse: reason === "completes_order" && breakdown.lines.some((l) => l.fromWarehouse > 0),
    },
    tenders,
    refundMethod: input.refundMethod,
    total: breakdown.totals.total,
  };
}
