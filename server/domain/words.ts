import { formatAmount } from "./money";

/*
 * The one formatter of what people read (issue 15 "human timeline"): money with its currency's
 * symbol, tenders by brand and last 4, roles and order statuses in words. The saga's timeline
 * entries, the progress sentences and the screens all use it, so nothing reads `store_manager`,
 * `PARTIALLY_CANCELLED` or `297.38 EUR`.
 */

const formatters = new Map<string, Intl.NumberFormat>();

/** Minor units → "$297.38", "€297.38", "¥1,064"; an unknown currency → "297.38 XYZ". */
export function moneyText(minor: number, currency: string): string {
  const amount = formatAmount(minor, currency);
  try {
    let f = formatters.get(currency);
    if (!f) {
      // One fixed locale: the server render and the browser print the same text.
      f = new Intl.NumberFormat("en-US", { style: "currency", currency });
      formatters.set(currency, f);
    }
    return f.format(amount as Intl.StringNumericLiteral);
  } catch {
    return `${amount} ${currency}`;
  }
}

export const BRAND_NAMES: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  mc: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  diners: "Diners Club",
  unionpay: "UnionPay",
};

export interface TenderWords {
  method: string;
  brand?: string | null;
  last4?: string | null;
  /** Shown for a gift card only ("gift card GC-1234"); leave it out where references are not shown. */
  providerReference?: string | null;
}

/** "Visa •••• 4242", "PayPal", "gift card GC-1234" (or "gift card"), "store credit". */
export function tenderName(t: TenderWords): string {
  switch (t.method) {
    case "card": {
      const brand = t.brand ? (BRAND_NAMES[t.brand.toLowerCase()] ?? t.brand) : "Card";
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

const ROLE_NAMES: Record<string, string> = {
  customer_service_agent: "customer service agent",
  store_manager: "store manager",
  system_admin: "system admin",
};

/** "store_manager" → "store manager". */
export function roleName(role: string): string {
  return ROLE_NAMES[role] ?? role.replaceAll("_", " ");
}

/** "a store manager", "an admin"-style article + role. */
export function aRole(role: string): string {
  const name = roleName(role);
  return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
}

const ORDER_STATUS_NAMES: Record<string, string> = {
  OPEN: "open",
  PARTIALLY_CANCELLED: "partly cancelled",
  CANCELLED: "cancelled",
  PARTIALLY_SHIPPED: "partly shipped",
  SHIPPED: "shipped",
  COMPLETED: "completed",
};

/** "PARTIALLY_CANCELLED" → "partly cancelled". */
export function orderStatusName(status: string): string {
  return ORDER_STATUS_NAMES[status] ?? status.toLowerCase().replaceAll("_", " ");
}

const APPROVAL_REASON_NAMES: Record<string, string> = {
  limit: "over the requester's limit",
  manager_limit: "over the store manager's limit",
  velocity: "the customer's recent cancellations (velocity)",
};

export function approvalReasonName(reason: string): string {
  return APPROVAL_REASON_NAMES[reason] ?? reason.replaceAll("_", " ");
}

const PROVIDER_NAMES: Record<string, string> = { stripe: "Stripe", paypal: "PayPal", adyen: "Adyen", internal: "the gift-card ledger" };

/** "stripe" → "Stripe". */
export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

const CHANNEL_NAMES: Record<string, string> = { web: "the web app", embed: "the CRM", api: "the API", rest: "the API", graphql: "the API", saga: "the system" };

/** How a request came in, in words: "the web app", "the CRM". */
export function channelName(channel: string): string {
  return CHANNEL_NAMES[channel] ?? channel;
}
