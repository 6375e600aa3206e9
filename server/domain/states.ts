/*
 * The states the domain's transitions work on (a tender, an order line, an order): their own file,
 * so that the transitions (order-transitions.ts) and the calculations built on them (allocation.ts,
 * refund.ts) import them without importing each other in a circle.
 */

export type TenderMethod = "card" | "paypal" | "gift_card" | "store_credit";
export type TenderProvider = "stripe" | "adyen" | "paypal" | "internal";
export type RefundMethod = "original" | "store_credit" | "manual";
export type AllocationOperation = "reversal" | "refund" | "store_credit" | "manual";

export interface TenderState {
  tenderId: string;
  method: TenderMethod;
  provider: TenderProvider;
  authorized: number;
  captured: number;
  reversed: number;
  refunded: number;
  /** Reversals allocated to cancellations that have not finished yet. */
  reversalHeld: number;
  /** Refunds allocated to cancellations that have not finished yet. */
  refundHeld: number;
}

export interface RefundLineState {
  lineId: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  tax: number;
  orderDiscountShare: number;
  shipped: number;
  released: number;
  cancelled: number;
  pendingCancel: number;
  /** Merchandise committed to earlier cancellations (held or done): refunded, or settled without refund. */
  netRefunded: number;
  /** Tax committed to earlier cancellations (held or done): refunded, or settled without refund. */
  taxRefunded: number;
}

export interface RefundOrderState {
  currency: string;
  lines: RefundLineState[];
  shippingAmount: number;
  shippingTax: number;
  shippingRefunded: number;
  shippingTaxRefunded: number;
}
