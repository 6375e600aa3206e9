import type { BusinessRulesConfig } from "@/server/domain/approval-policy";

/** One difference between two versions of the rules, in an admin's words. */
export interface RuleChange {
  /** The field it concerns, as the editor names it ("agentLimits.CAD", "velocity.otherOrdersIn24h", "reasonCodes.OTHER"). */
  field: string;
  label: string;
  before: string;
  after: string;
}

const SHIPPING: Record<string, string> = { full_cancellation: "with the cancellation that cancels the last unit", never: "never" };

function reasonText(r: { requiresNote: boolean; active: boolean } | undefined): string {
  if (!r) return "not defined";
  return `${r.active ? "active" : "retired"}${r.requiresNote ? ", needs a note" : ""}`;
}

/**
 * What differs from `before` to `after`, field by field, in the order the
 * editor shows them: the "what changes" summary before a save, and the diff
 * between two saved versions. Pure: no I/O, so the browser uses it too.
 */
export function describeRuleChanges(before: BusinessRulesConfig, after: BusinessRulesConfig): RuleChange[] {
  const out: RuleChange[] = [];
  const push = (field: string, label: string, a: string, b: string) => {
    if (a !== b) out.push({ field, label, before: a, after: b });
  };
  const currencies = [...new Set([...Object.keys(before.agentLimits), ...Object.keys(after.agentLimits)])].sort();
  for (const c of currencies) {
    push(`agentLimits.${c}`, `Agent limit, ${c}`, before.agentLimits[c] ?? "no limit (every agent cancellation needs approval)", after.agentLimits[c] ?? "no limit (every agent cancellation needs approval)");
  }
  push("managerLimitMultiple", "Store manager limit (× the agent limit)", String(before.managerLimitMultiple), String(after.managerLimitMultiple));
  push("velocity.otherOrdersIn24h", "Velocity: other orders with cancellations in 24 hours", String(before.velocity.otherOrdersIn24h), String(after.velocity.otherOrdersIn24h));
  push(
    "velocity.refundedMultipleOfLimitIn7d",
    "Velocity: refunded in 7 days (× the agent limit)",
    String(before.velocity.refundedMultipleOfLimitIn7d),
    String(after.velocity.refundedMultipleOfLimitIn7d),
  );
  const codes = [...new Set([...before.reasonCodes.map((r) => r.code), ...after.reasonCodes.map((r) => r.code)])];
  for (const code of codes) {
    push(`reasonCodes.${code}`, `Reason code ${code}`, reasonText(before.reasonCodes.find((r) => r.code === code)), reasonText(after.reasonCodes.find((r) => r.code === code)));
  }
  push("shippingPolicy", "Shipping refund", SHIPPING[before.shippingPolicy] ?? before.shippingPolicy, SHIPPING[after.shippingPolicy] ?? after.shippingPolicy);
  push("approvalExpiryHours", "Approval expiry (hours)", String(before.approvalExpiryHours), String(after.approvalExpiryHours));
  return out;
}
