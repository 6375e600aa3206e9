import { formatMoney } from "../format-money";

const BRANDS: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  mc: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  diners: "Diners Club",
  unionpay: "UnionPay",
};

export interface TenderLike {
  method: string;
  provider?: string;
  brand?: string | null;
  last4?: string | null;
  providerReference?: string | null;
}

/** "Visa •••• 4242", "PayPal", "gift card GC-1234", "store credit". */
export function tenderLabel(t: TenderLike): string {
  switch (t.method) {
    case "card": {
      const brand = t.brand ? (BRANDS[t.brand.toLowerCase()] ?? t.brand) : "Card";
      return t.last4 ? `${brand} •••• ${t.last4}` : brand;
    }
    case "paypal":
      return "PayPal";
    case "gift_card":
      return t.providerReference ? `gift card ${t.providerReference}` : "gift card";
    case "store_credit":
      return "store credit";
    default:
      return t.method;
  }
}

/** One allocation entry in words: "Reverse $194.85 on Visa •••• 4242". */
export function describeAllocation(
  entry: { tenderId: string; operation: string; amount: string },
  currency: string,
  tenders: readonly (TenderLike & { tenderId: string })[],
): string {
  const amount = formatMoney(entry.amount, currency);
  const tender = tenders.find((t) => t.tenderId === entry.tenderId);
  const on = tender ? tenderLabel(tender) : `tender ${entry.tenderId}`;
  switch (entry.operation) {
    case "reversal":
      return `Reverse ${amount} on ${on}`;
    case "refund":
      return `Refund ${amount} to ${on}`;
    case "store_credit":
      return `Issue ${amount} as store credit (from ${on})`;
    case "manual":
      return `Manual refund of ${amount} for ${on}`;
    default:
      return `${entry.operation} ${amount} on ${on}`;
  }
}
