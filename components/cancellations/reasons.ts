export const REASONS = [
  { code: "CUSTOMER_REQUEST", label: "Customer request" },
  { code: "ITEM_UNAVAILABLE", label: "Item unavailable" },
  { code: "PRICE_ERROR", label: "Price error" },
  { code: "DUPLICATE_ORDER", label: "Duplicate order" },
  { code: "DELIVERY_DELAY", label: "Delivery delay" },
  { code: "FRAUD_SUSPECTED", label: "Fraud suspected" },
  { code: "OTHER", label: "Other (explain in a note)" },
] as const;

/** Labels for the codes SPEC §5 defines; a code an admin added is shown as written, readably. */
export function reasonOptionLabel(code: string, requiresNote: boolean): string {
  const known = REASONS.find((r) => r.code === code)?.label;
  if (known) return known;
  const words = code.toLowerCase().replace(/_/g, " ");
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${requiresNote ? " (explain in a note)" : ""}`;
}

export function reasonLabel(code: string): string {
  return reasonOptionLabel(code, false).replace(/ \(.*\)$/, "");
}

export const REFUND_METHODS = [
  { value: "original", label: "Original payment", hint: "Release the authorization or refund the card, PayPal or gift card." },
  { value: "store_credit", label: "Store credit", hint: "Captured money becomes store credit; uncaptured authorizations are still released." },
  { value: "manual", label: "Manual refund", hint: "A person refunds the captured money; uncaptured authorizations are still released." },
] as const;

export type RefundMethod = (typeof REFUND_METHODS)[number]["value"];

export function refundMethodLabel(value: string): string {
  return REFUND_METHODS.find((m) => m.value === value)?.label ?? value;
}

export const APPROVAL_REASONS: Record<string, string> = {
  limit: "the refund is above your cancellation limit",
  velocity: "this customer has had several cancellations or large refunds recently (velocity check)",
};
