import type { Actor } from "@/server/auth/permissions";

/**
 * Why this actor cannot decide a request, or null when they can. Mirrors the
 * checks of decideApproval (which stays the authority) so that the queue can
 * disable the buttons and say why before anyone clicks.
 */
export type DecisionBlock = "own_request" | "decided" | "needs_system_admin" | null;

export function decisionBlockFor(
  actor: Pick<Actor, "userId" | "role">,
  c: { requestedById: string; status: string; approverRole: string | null },
): DecisionBlock {
  if (c.requestedById === actor.userId) return "own_request";
  if (c.status !== "pending_approval") return "decided";
  if (c.approverRole === "system_admin" && actor.role !== "system_admin") return "needs_system_admin";
  return null;
}
