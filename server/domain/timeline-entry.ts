import { aRole, approvalReasonName, channelName, moneyText, orderStatusName, providerName, roleName, tenderName, type TenderWords } from "./words";

/*
 * A timeline entry as facts (issue 15 "human timeline"): what happened (`kind`) and the facts it
 * needs — product names and SKUs with quantities, money in minor units with its currency, a
 * tender's method/brand/last 4, roles, the actor's id and name. Stored as the entry's `data`; the
 * words are made from it when the entry is read (renderTimelineEntry), so every entry, old or new,
 * reads in today's wording. Entries written before `data` existed keep their stored text.
 */

/** Who did it, as recorded then. */
export interface TimelineActor {
  id: string;
  name: string;
  role: string;
}

export interface TimelineLine {
  lineId: string;
  sku: string;
  /** The line's description ("Oxford shirt, red, M"); the SKU is shown when it is empty. */
  product: string;
  quantity: number;
  locationId: string;
}

export type TimelineTender = Pick<TenderWords, "method" | "brand" | "last4">;

export type PaymentOutcomeFacts =
  | { kind: "succeeded" }
  | { kind: "manual"; origin: string; reason: string }
  | { kind: "confirmed_late"; provider: string; reference: string; paidTwiceReferences: string[] }
  | { kind: "accepted"; provider: string }
  | { kind: "retry"; provider: string; lastOutcome: string | null; retryInSeconds: number };

export type TimelineData =
  | { kind: "requested"; actor: TimelineActor; channel: string; notifyCustomer: boolean }
  | { kind: "override_applied"; actor: TimelineActor; currency: string; noRefund: boolean; waived: number; shippingAdded: number; note: string | null }
  | {
      kind: "approval_needed";
      currency: string;
      total: number;
      reasons: string[];
      approverRole: string | null;
      limitRole: string | null;
      limit: number | null;
      excess: number | null;
      managerLimit: number | null;
      managerExcess: number | null;
      velocity: { otherOrders24h: number; tooManyOtherOrders: boolean; refunded7d: number; refundedTooMuch: boolean } | null;
    }
  | { kind: "approval_decided"; decision: "approved" | "rejected"; actor: TimelineActor; note: string | null }
  | { kind: "withdrawn"; actor: TimelineActor; byRequester: boolean; note: string | null }
  | { kind: "approval_expired" }
  | { kind: "warehouse_requested"; lines: TimelineLine[] }
  | { kind: "warehouse_sent" }
  | { kind: "warehouse_refused_request"; message: string }
  | { kind: "warehouse_timed_out"; minutes: number }
  | { kind: "warehouse_line_answered"; line: TimelineLine; requested: number; stopped: number; via: "callback" | "queue" | "timeout" | "request" }
  | { kind: "warehouse_settled"; currency: string; total: number; upTo: number; nothingLeft: boolean }
  | { kind: "warehouse_nothing_stopped" }
  | { kind: "order_adjusted"; orderStatus: string }
  | { kind: "shipping_added"; currency: string; shipping: number; shippingTax: number; noRefund: boolean; unrefundable: boolean }
  | { kind: "inventory_released"; lines: TimelineLine[] }
  | { kind: "inventory_retry"; error: string }
  | { kind: "payment"; operation: string; currency: string; amount: number; tender: TimelineTender | null; result: PaymentOutcomeFacts }
  | { kind: "completed"; currency: string; waitingForManualRefund: number }
  | { kind: "manual_refunds_done" }
  | { kind: "manual_refund_done"; actor: TimelineActor; currency: string; amount: number; reference: string }
  | { kind: "compensated"; reason: string }
  | { kind: "dead_letter"; attempts: number; error: string }
  | { kind: "dead_letter_retried"; actor: TimelineActor }
  | { kind: "dead_letter_resolved"; actor: TimelineActor; note: string }
  | { kind: "notification"; result: "sent" | "skipped" | "retry" | "failed"; to: string | null; reason: string | null };

export type TimelineKind = TimelineData["kind"];

type Renderers = { [K in TimelineKind]: (d: Extract<TimelineData, { kind: K }>) => string };

const who = (a: TimelineActor) => `${a.name} (${roleName(a.role)})`;
const product = (l: Pick<TimelineLine, "product" | "sku">) => l.product.trim() || l.sku;
const withNote = (note: string | null) => (note ? `: ${note}` : "");

const MANUAL_ORIGIN_TEXT: Record<string, string> = {
  refund_method: "manual-refund task created",
  declined: "the provider declined; manual-refund task created",
  reconciled_unknown: "the provider's answer was unknown and, asked, it showed nothing was done; manual-refund task created",
  unverified_unknown: "the provider's answer stayed unknown; manual-refund task created, verify at the provider first",
  shipping_unrefundable: "the payments cannot take the added shipping; manual-refund task created",
};

/** "Release the $194.85 hold on Visa •••• 4242", "Refund €297.38 to PayPal". */
function paymentAction(d: Extract<TimelineData, { kind: "payment" }>): string {
  const amount = moneyText(d.amount, d.currency);
  const on = d.tender ? tenderName(d.tender) : "the customer";
  switch (d.operation) {
    case "reversal":
      return `Release the ${amount} hold on ${on}`;
    case "refund":
      return `Refund ${amount} to ${on}`;
    case "store_credit":
      return `Issue ${amount} as store credit`;
    default:
      return `Manual refund of ${amount} for ${on}`;
  }
}

function paymentText(d: Extract<TimelineData, { kind: "payment" }>): string {
  const action = paymentAction(d);
  const r = d.result;
  switch (r.kind) {
    case "succeeded":
      return action;
    case "manual":
      return `${action}: ${MANUAL_ORIGIN_TEXT[r.origin] ?? "manual-refund task created"} (${r.reason})`;
    case "confirmed_late":
      return r.paidTwiceReferences.length
        ? `${action}: ALERT: ${providerName(r.provider)} confirmed ${r.reference} after a person had completed the manual refund (${r.paidTwiceReferences.join(", ")}): the customer was paid twice`
        : `${action}: ${providerName(r.provider)} confirmed ${r.reference} late; the manual-refund task was closed`;
    case "accepted":
      return `${action}: ${providerName(r.provider)} accepted it and will confirm`;
    case "retry":
      return `${action}: ${providerName(r.provider)}'s answer is unknown${r.lastOutcome ? ` (${r.lastOutcome})` : ""}; retrying in ${r.retryInSeconds} s with the same key`;
  }
}

function approvalNeededText(d: Extract<TimelineData, { kind: "approval_needed" }>): string {
  const money = (minor: number) => moneyText(minor, d.currency);
  const total = money(d.total);
  const why: string[] = [];
  if (d.reasons.includes("limit")) {
    why.push(d.limit !== null && d.excess !== null ? `${total} is ${money(d.excess)} over the ${roleName(d.limitRole ?? "customer_service_agent")}'s ${money(d.limit)} limit` : `no limit is configured for ${d.currency}`);
  }
  if (d.reasons.includes("manager_limit") && d.managerLimit !== null && d.managerExcess !== null) {
    why.push(`${total} is ${money(d.managerExcess)} over the store manager's ${money(d.managerLimit)} limit`);
  }
  const v = d.velocity;
  if (d.reasons.includes("velocity") && v) {
    if (v.tooManyOtherOrders) why.push(`the customer had cancellations on ${v.otherOrders24h} other order${v.otherOrders24h === 1 ? "" : "s"} in the last 24 hours`);
    if (v.refundedTooMuch) why.push(`${money(v.refunded7d)} was returned to the customer in the last 7 days`);
  }
  return `Needs approval by ${aRole(d.approverRole ?? "store_manager")}: ${why.join("; ") || d.reasons.map(approvalReasonName).join(", ")}`;
}

const VIA_TEXT: Record<string, string> = { timeout: " (no answer in time)", queue: " (message from the warehouse)", callback: " (callback)", request: "" };

const RENDER: Renderers = {
  requested: (d) => `Requested by ${who(d.actor)} in ${channelName(d.channel)}${d.notifyCustomer ? "" : "; the customer is not to be emailed"}`,
  override_applied: (d) => {
    const money = (minor: number) => moneyText(minor, d.currency);
    const what = d.noRefund
      ? `cancelled with no refund; ${money(d.waived)} stays with the merchant`
      : d.shippingAdded > 0
        ? `shipping of ${money(d.shippingAdded)} refunded, which the shipping policy would not refund`
        : "shipping refunded (the shipping policy refunds it here too)";
    return `Override by ${who(d.actor)}: ${what}. Note: ${d.note ?? ""}`;
  },
  approval_needed: approvalNeededText,
  approval_decided: (d) => (d.decision === "approved" ? `Approved by ${who(d.actor)}${withNote(d.note)}` : `Rejected by ${who(d.actor)}${withNote(d.note)}`),
  withdrawn: (d) => `Withdrawn by ${d.actor.name} (${d.byRequester ? "the requester" : aRole(d.actor.role)})${withNote(d.note)}; the held units are cancellable again`,
  approval_expired: () => "Nobody decided in time; the held units are cancellable again",
  warehouse_requested: (d) => `Asking the warehouse to stop ${d.lines.map((l) => `${l.quantity} × ${product(l)} at ${l.locationId}`).join("; ")}`,
  warehouse_sent: () => "The warehouse took the request; waiting for its answer",
  warehouse_refused_request: (d) => `The warehouse refused the request: ${d.message}`,
  warehouse_timed_out: (d) => `No answer from the warehouse within ${d.minutes} min; the units not answered count as refused`,
  warehouse_line_answered: (d) => {
    const left = d.requested - d.stopped;
    return `${product(d.line)} at ${d.line.locationId}: ${d.stopped} of ${d.requested} stopped${left > 0 ? `; ${left} could not be stopped and will ship` : ""}${VIA_TEXT[d.via] ?? ""}`;
  },
  warehouse_settled: (d) =>
    d.nothingLeft
      ? "The warehouse stopped none of the units and nothing else was asked for: nothing is cancelled and no money moves"
      : d.total === d.upTo
        ? `Every unit was stopped; the refund stays ${moneyText(d.total, d.currency)}`
        : `The refund is ${moneyText(d.total, d.currency)} for the units stopped (it was up to ${moneyText(d.upTo, d.currency)})`,
  warehouse_nothing_stopped: () => "The warehouse stopped none of the units: nothing is cancelled and no money moves; the units will ship",
  order_adjusted: (d) => `The order is now ${orderStatusName(d.orderStatus)}`,
  shipping_added: (d) => {
    const money = (minor: number) => moneyText(minor, d.currency);
    const total = money(d.shipping + d.shippingTax);
    return d.noRefund
      ? `The order is now fully cancelled: its shipping of ${total} is settled without refund (cancelled with no refund)`
      : `The order is now fully cancelled: shipping refund of ${total} added (${money(d.shipping)} shipping, ${money(d.shippingTax)} tax)${d.unrefundable ? "; the payments cannot take it, so a person refunds it" : ""}`;
  },
  inventory_released: (d) => d.lines.map((l) => `${l.quantity} × ${product(l)} released at ${l.locationId}`).join("; ") || "Nothing was reserved",
  inventory_retry: (d) => `Alert: inventory release failed (${d.error}); retrying in the background`,
  payment: paymentText,
  completed: (d) =>
    d.waitingForManualRefund > 0 ? `Order adjusted; ${moneyText(d.waitingForManualRefund, d.currency)} waits for a manual refund by an admin (Operations → Manual refunds)` : "Completed",
  manual_refunds_done: () => "Completed: every manual refund is done",
  manual_refund_done: (d) => `Manual refund of ${moneyText(d.amount, d.currency)} done by ${who(d.actor)} (reference ${d.reference})`,
  compensated: (d) => `${d.reason}; held units and amounts released`,
  dead_letter: (d) => `Gave up after ${d.attempts} attempts: ${d.error}`,
  dead_letter_retried: (d) => `Queued again by ${who(d.actor)}`,
  dead_letter_resolved: (d) => `Resolved without a retry by ${who(d.actor)}: ${d.note}`,
  notification: (d) => {
    const to = d.to ?? "the customer";
    switch (d.result) {
      case "sent":
        return `Email sent to ${to}`;
      case "skipped":
        return `Email not sent: ${d.reason ?? "not to be sent"}`;
      case "retry":
        return `Email to ${to} not sent yet (${d.reason ?? "no answer"}); trying again`;
      case "failed":
        return `Email could not be sent to ${to}: ${d.reason ?? "unknown error"}`;
    }
  },
};

/** The words of one entry's facts. */
export function timelineText(data: TimelineData): string {
  return (RENDER[data.kind] as (d: TimelineData) => string)(data);
}

export function isTimelineKind(kind: unknown): kind is TimelineKind {
  return typeof kind === "string" && Object.hasOwn(RENDER, kind);
}

/**
 * An entry as read: its words made from its stored facts; an entry with no facts (written before
 * they were stored) or of a kind this version does not know keeps its stored text.
 */
export function renderTimelineEntry(entry: { data?: unknown; detail: string | null }): string | null {
  const data = entry.data as { kind?: unknown } | null | undefined;
  if (!data || typeof data !== "object" || !isTimelineKind(data.kind)) return entry.detail;
  try {
    return timelineText(data as TimelineData);
  } catch {
    // Facts of an older shape than this renderer expects: the text written with them still reads.
    return entry.detail;
  }
}
