import { formatAmount } from "./money";
import { moneyText, tenderName as nameOfTender } from "./words";

/*
 * What a cancellation is doing, in words that are true (issue 15: a manual refund is never shown
 * as done). The stored status stays SPEC §6's; this says what it means now: which step a
 * `processing` cancellation waits for, and whether a `completed` one still waits for a person.
 */

export type ProgressPhase =
  | "waiting_for_approval"
  | "waiting_for_warehouse"
  | "adjusting_order"
  | "sending_payment"
  | "retrying_payment"
  | "waiting_for_provider"
  | "releasing_inventory"
  | "finishing"
  | "waiting_for_manual_refund"
  | "done"
  | "failed"
  | "rejected"
  | "expired"
  | "withdrawn";

export interface ProgressAllocation {
  operation: "reversal" | "refund" | "store_credit" | "manual";
  status: "pending" | "succeeded" | "failed" | "manual_required";
  amount: number;
  /** Set once the provider accepted the call and will confirm it (Adyen, a pending PayPal operation). */
  providerReference: string | null;
  attempts: number;
  lastError: string | null;
  tender: { provider: string; method: string; brand: string | null; last4: string | null } | null;
}

export interface ProgressInput {
  status: string;
  currency: string;
  approverRole: string | null;
  orderAdjusted: boolean;
  inventoryReleased: boolean;
  noRefund: boolean;
  allocations: readonly ProgressAllocation[];
  manualTasks: readonly { status: "open" | "done"; amount: number }[];
  /** SPEC §11: the lines asked of the warehouse (none when it was not asked). */
  warehouse?: readonly { requested: number; stopped: number | null; outcome: string | null }[];
  /** The failure's reason as stored (a warehouse that stopped nothing is not a rollback). */
  failureReason?: string | null;
  /** Providers whose circuit breaker is open now: a part waiting on one says so. */
  openBreakers?: readonly string[];
}

export interface Progress {
  phase: ProgressPhase;
  /** A short label for a badge. */
  label: string;
  /** One or two sentences for the reader. */
  summary: string;
  /** Open manual-refund work, when there is any. */
  manualRefund: { open: number; amount: string } | null;
}

const PROVIDERS: Record<string, string> = { stripe: "Stripe", paypal: "PayPal", adyen: "Adyen", internal: "the gift-card ledger" };
const ROLES: Record<string, string> = { store_manager: "a store manager", system_admin: "a system admin" };

const money = moneyText;

function tenderName(t: ProgressAllocation["tender"]): string {
  if (!t) return "the customer";
  const name = nameOfTender(t);
  return t.method === "gift_card" ? "the gift card" : name;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** An operation still under way: "the release of the $194.85 hold on Visa •••• 4242". */
function describe(a: ProgressAllocation, currency: string): string {
  const amount = money(a.amount, currency);
  const on = tenderName(a.tender);
  switch (a.operation) {
    case "reversal":
      return `the release of the ${amount} hold on ${on}`;
    case "refund":
      return `the refund of ${amount} to ${on}`;
    case "store_credit":
      return `${amount} of store credit`;
    case "manual":
      return `the manual refund of ${amount}`;
  }
}

/** An operation that is done: "the $194.85 hold on Visa •••• 4242 was released". */
function done(a: ProgressAllocation, currency: string): string {
  const amount = money(a.amount, currency);
  const on = tenderName(a.tender);
  if (a.status === "manual_required") return `the manual refund of ${amount} was recorded as done`;
  switch (a.operation) {
    case "reversal":
      return `the ${amount} hold on ${on} was released`;
    case "refund":
      return `${amount} was refunded to ${on}`;
    case "store_credit":
      return `${amount} was issued as store credit`;
    case "manual":
      return `the manual refund of ${amount} was recorded as done`;
  }
}

const FIXED: Partial<Record<string, Omit<Progress, "manualRefund">>> = {
  failed: { phase: "failed", label: "Failed", summary: "The cancellation failed and was rolled back. Nothing was cancelled and no money moved." },
  rejected: { phase: "rejected", label: "Rejected", summary: "A manager rejected this cancellation. The held units are available again; no money moved." },
  expired: { phase: "expired", label: "Expired", summary: "Nobody decided the approval request in time. The held units are available again; no money moved." },
  withdrawn: { phase: "withdrawn", label: "Withdrawn", summary: "The request was withdrawn before anyone decided it. The held units are available again; no money moved." },
};

export function describeProgress(input: ProgressInput): Progress {
  const { currency } = input;
  const open = input.manualTasks.filter((t) => t.status === "open");
  const openAmount = open.reduce((s, t) => s + t.amount, 0);
  const manualRefund = open.length > 0 ? { open: open.length, amount: formatAmount(openAmount, currency) } : null;
  const asked = input.warehouse ?? [];
  const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;
  if (input.status === "failed" && asked.length > 0 && asked.every((l) => l.outcome !== null && (l.stopped ?? 0) === 0)) {
    return { phase: "failed", label: "Not stopped", summary: "The warehouse could not stop any of the units: they stay released and will ship. Nothing was cancelled and no money moved.", manualRefund };
  }
  const fixed = FIXED[input.status];
  if (fixed) return { ...fixed, manualRefund };

  if (input.status === "awaiting_warehouse") {
    const requested = asked.reduce((s, l) => s + l.requested, 0);
    return {
      phase: "waiting_for_warehouse",
      label: "Waiting for the warehouse",
      summary: `Asked the warehouse to stop ${units(requested)} already released for picking. The units are held and no money has moved; the refund is "up to" until the warehouse answers.`,
      manualRefund,
    };
  }

  if (input.status === "pending_approval") {
    const who = ROLES[input.approverRole ?? "store_manager"] ?? "a manager";
    return { phase: "waiting_for_approval", label: "Pending approval", summary: `Waiting for approval by ${who}. The units are held; no money has moved yet.`, manualRefund };
  }

  const waitingForManual = (done: string) => ({
    phase: "waiting_for_manual_refund" as const,
    label: "Waiting for manual refund",
    summary: `${done} Waiting for a manual refund by an admin (Operations → Manual refunds): ${money(openAmount, currency)} has not been refunded yet.`,
    manualRefund,
  });

  if (input.status === "processing") {
    if (!input.orderAdjusted) return { phase: "adjusting_order", label: "Processing", summary: "Adjusting the order: the units are being cancelled.", manualRefund };
    const pending = input.allocations.filter((a) => a.status === "pending");
    const blocked = pending.find((a) => a.tender && input.openBreakers?.includes(a.tender.provider));
    if (blocked) {
      const name = PROVIDERS[blocked.tender!.provider] ?? "the provider";
      return {
        phase: "waiting_for_provider",
        label: "Processing",
        summary: `The order is adjusted. Waiting for ${name} to recover: its circuit breaker is open after repeated failures. ${capitalise(describe(blocked, currency))} is retried under the same key when it answers again.`,
        manualRefund,
      };
    }
    const sent = pending.find((a) => a.providerReference);
    if (sent) {
      return { phase: "waiting_for_provider", label: "Processing", summary: `The order is adjusted. Waiting for ${PROVIDERS[sent.tender?.provider ?? ""] ?? "the provider"} to confirm ${describe(sent, currency)}.`, manualRefund };
    }
    const retrying = pending.find((a) => a.attempts > 0 || a.lastError);
    if (retrying) {
      const why = retrying.lastError ? ` (last attempt: ${retrying.lastError})` : "";
      return { phase: "retrying_payment", label: "Processing", summary: `The order is adjusted. Retrying ${describe(retrying, currency)} at ${PROVIDERS[retrying.tender?.provider ?? ""] ?? "the provider"}${why}.`, manualRefund };
    }
    if (pending.length > 0) {
      const next = pending[0]!;
      return { phase: "sending_payment", label: "Processing", summary: `The order is adjusted. Sending ${describe(next, currency)} to ${PROVIDERS[next.tender?.provider ?? ""] ?? "the provider"}.`, manualRefund };
    }
    if (manualRefund) return waitingForManual("The order is adjusted.");
    if (!input.inventoryReleased) return { phase: "releasing_inventory", label: "Processing", summary: "The order is adjusted and the payments are settled. Releasing the stock at the warehouse.", manualRefund };
    return { phase: "finishing", label: "Processing", summary: "Every step is done; recording the completion.", manualRefund };
  }

  // completed
  const stock = input.inventoryReleased ? "" : " The stock release is being retried in the background.";
  if (manualRefund) return waitingForManual(`The order is adjusted.${stock}`);
  const moved = input.allocations.filter((a) => a.status === "succeeded" || a.status === "manual_required");
  const what = input.noRefund
    ? "The units are cancelled with no refund (an override); no payment was touched."
    : moved.length === 0
      ? "The units are cancelled; there was nothing to refund."
      : `The order is adjusted; ${moved.map((a) => done(a, currency)).join("; ")}.`;
  return { phase: "done", label: "Completed", summary: `Done. ${what}${stock}`, manualRefund };
}
