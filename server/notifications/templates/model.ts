export const CUSTOMER_TEMPLATES = ["cancellation_completed", "cancellation_failed", "cancellation_rejected", "cancellation_expired", "cancellation_withdrawn"] as const;
export type CustomerTemplate = (typeof CUSTOMER_TEMPLATES)[number];

/** Where a part of the refund goes, as the customer sees it. */
export type RefundRoute = "card_release" | "paypal_release" | "card_refund" | "paypal_refund" | "gift_card" | "store_credit" | "manual";

/** Everything a customer email says, and nothing else: no internal ids, no card data. */
export interface CustomerMessage {
  template: CustomerTemplate;
  locale: string;
  currency: string;
  customerName: string;
  orderExternalId: string;
  items: { description: string; quantity: number }[];
  /** SPEC §11: units the warehouse could not stop (already picked or packed): they will be delivered. */
  notStopped?: { description: string; quantity: number }[];
  /** Completed cancellations: one entry per part of the refund, in tender order. */
  refunds: { route: RefundRoute; amount: number }[];
  refundTotal: number;
  shippingRefunded: boolean;
  supportEmail: string;
}
