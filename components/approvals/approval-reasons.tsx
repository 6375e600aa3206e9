import { Badge } from "../badge";
import type { DecisionBlock } from "./types";

const REASONS: Record<string, { label: string; description: string }> = {
  limit: { label: "Over limit", description: "The refund is above the requester's cancellation limit." },
  manager_limit: { label: "Over manager limit", description: "The refund is above the store manager's limit too: only a system admin may approve it." },
  velocity: { label: "Velocity", description: "The customer had several cancellations or large refunds recently." },
};

export function ApprovalReasonBadges({ reasons }: { reasons: readonly string[] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {reasons.map((r) => (
        <Badge key={r} tone={r === "velocity" ? "danger" : "warning"}>
          {REASONS[r]?.label ?? r}
        </Badge>
      ))}
    </span>
  );
}

export function describeApprovalReason(reason: string): string {
  return REASONS[reason]?.description ?? reason;
}

export function approverLabel(role: string | null): string {
  return role === "system_admin" ? "A system admin" : "A store manager or admin";
}

/** Why the signed-in approver cannot decide, in words they can act on. */
export function blockExplanation(block: DecisionBlock, status?: string): string | null {
  switch (block) {
    case "own_request":
      return "You requested this cancellation, so someone else must approve or reject it (four eyes).";
    case "needs_system_admin":
      return "This refund is above the store-manager limit: only a system admin can decide it.";
    case "decided":
      return `This request was already decided${status ? `: it is ${status.replaceAll("_", " ")}` : ""}.`;
    default:
      return null;
  }
}
