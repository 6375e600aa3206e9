import { formatMoney } from "../format-money";
import type { ApprovalQueueRow } from "./types";

const LIMIT_OF: Record<string, string> = { customer_service_agent: "the agent's limit", store_manager: "the store manager's limit" };

/**
 * Why a request waits, in the approver's words and with the numbers kept at
 * submit: "$612.40 — $112.40 over the agent's limit", and the velocity facts.
 * Requests stored before the facts were kept fall back to the reason alone.
 */
export function approvalFactLines(row: Pick<ApprovalQueueRow, "approval" | "reasons" | "refundAmount" | "currency">): string[] {
  const money = (a: string) => formatMoney(a, row.currency);
  const facts = row.approval;
  const out: string[] = [];
  if (row.reasons.includes("limit")) {
    if (facts?.limit && facts.excess) out.push(`${money(row.refundAmount)} — ${money(facts.excess)} over ${LIMIT_OF[facts.limitRole ?? ""] ?? "the requester's limit"}`);
    else if (facts) out.push(`${money(row.refundAmount)} — no ${row.currency} limit is set, so every such request is approved`);
    else out.push(`${money(row.refundAmount)} — over the requester's limit`);
  }
  if (row.reasons.includes("manager_limit") && facts?.managerExcess && facts.limitRole !== "store_manager") {
    out.push(`Also ${money(facts.managerExcess)} over the store manager's limit: a system admin decides`);
  }
  const v = facts?.velocity;
  if (row.reasons.includes("velocity")) {
    if (v?.tooManyOtherOrders) {
      out.push(`Cancellations on ${v.otherOrdersWithCancellations24h} other order${v.otherOrdersWithCancellations24h === 1 ? "" : "s"} of this customer in 24 h (approval from ${v.otherOrdersThreshold})`);
    }
    if (v?.refundedTooMuch) out.push(`${money(v.refunded7d)} returned to this customer in 7 days (approval from ${money(v.refundedThreshold ?? "0")})`);
    if (!v) out.push("Many recent cancellations or refunds for this customer");
  }
  return out;
}
