import type { ProrationStep, RefundExplanation } from "@/server/domain/explain-refund";
import { formatAmount } from "@/server/domain/money";

/*
 * The domain's "why this amount" (server/domain/explain-refund.ts) as the preview answers it:
 * money as decimal strings in the order's currency, nothing recomputed.
 */

function prorationView(s: ProrationStep, money: (minor: number) => string) {
  return {
    remaining: money(s.remaining),
    units: s.units,
    of: s.of,
    rule: s.rule,
    unrounded: s.unrounded?.major ?? null,
    unroundedExact: s.unrounded?.exact ?? null,
    result: money(s.result),
  };
}

export function toRefundExplanationView(x: RefundExplanation, currency: string) {
  const money = (minor: number) => formatAmount(minor, currency);
  return {
    lines: x.lines.map((l) => ({
      orderLineId: l.lineId,
      quantity: l.quantity,
      fromWarehouse: l.fromWarehouse,
      orderedQuantity: l.orderedQuantity,
      unitPrice: money(l.unitPrice),
      gross: money(l.gross),
      lineDiscount: money(l.lineDiscount),
      orderDiscount: l.orderDiscount && {
        codes: l.orderDiscount.codes.map((d) => ({ code: d.code, amount: money(d.amount) })),
        total: money(l.orderDiscount.total),
        share: money(l.orderDiscount.share),
        lineValue: money(l.orderDiscount.lineValue),
        ordersValue: money(l.orderDiscount.ordersValue),
        unrounded: l.orderDiscount.unrounded.major,
        unroundedExact: l.orderDiscount.unrounded.exact,
      },
      net: money(l.net),
      taxCharged: money(l.tax),
      earlier: { units: l.earlier.units, net: money(l.earlier.net), tax: money(l.earlier.tax) },
      merchandise: prorationView(l.merchandise, money),
      tax: prorationView(l.taxStep, money),
      noRefund: l.noRefund,
      refund: {
        subtotal: money(l.refund.subtotal),
        discount: money(l.refund.discount),
        merchandise: money(l.refund.merchandise),
        tax: money(l.refund.tax),
        total: money(l.refund.total),
      },
    })),
    shipping: {
      refunded: x.shipping.refunded,
      reason: x.shipping.reason,
      shipping: money(x.shipping.shipping),
      shippingTax: money(x.shipping.shippingTax),
      due: money(x.shipping.due),
      taxDue: money(x.shipping.taxDue),
      unitsLeft: x.shipping.unitsLeft,
      shippedUnits: x.shipping.shippedUnits,
      heldElsewhere: x.shipping.heldElsewhere,
      dependsOnWarehouse: x.shipping.dependsOnWarehouse,
    },
    tenders: x.tenders.map((t) => ({
      tenderId: t.tenderId,
      method: t.method,
      operation: t.operation,
      amount: money(t.amount),
      reason: t.reason,
      authorized: money(t.authorized),
      captured: money(t.captured),
      reversible: money(t.reversible),
      refundable: money(t.refundable),
    })),
    refundMethod: x.refundMethod,
    total: money(x.total),
  };
}

export type RefundExplanationView = ReturnType<typeof toRefundExplanationView>;
