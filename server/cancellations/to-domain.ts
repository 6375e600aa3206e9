import type { TenderState } from "@/server/domain/allocation";
import type { RefundOrderState } from "@/server/domain/refund";
import type { LoadedOrder } from "@/server/orders/load-order";

export function toRefundState(order: LoadedOrder): RefundOrderState {
  return {
    currency: order.currency,
    shippingAmount: order.shippingAmount,
    shippingTax: order.shippingTax,
    shippingRefunded: order.shippingRefunded,
    shippingTaxRefunded: order.shippingTaxRefunded,
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      tax: l.tax,
      orderDiscountShare: l.orderDiscountShare,
      shipped: l.shipped,
      released: l.released,
      cancelled: l.cancelled,
      pendingCancel: l.pendingCancel,
      netRefunded: l.netRefunded,
      taxRefunded: l.taxRefunded,
    })),
  };
}

export function toTenderStates(order: LoadedOrder): TenderState[] {
  return order.tenders.map((t) => ({
    tenderId: t.tenderId,
    method: t.method,
    provider: t.provider,
    authorized: t.authorized,
    captured: t.captured,
    reversed: t.reversed,
    refunded: t.refunded,
    reversalHeld: t.reversalHeld,
    refundHeld: t.refundHeld,
  }));
}
