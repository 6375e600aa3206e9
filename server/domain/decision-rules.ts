/*
 * Who may decide an approval request (SPEC §5): the one statement of the rules that
 * decideApproval enforces, the approval queue shows before anyone clicks and the staff notices
 * follow when they pick whom to ask.
 */

/** Why this person cannot decide the request, or null when they can. */
export type DecisionBlock = "own_request" | "decided" | "needs_system_admin" | null;

/** Four eyes: the requester never decides their own request. */
export function isOwnRequest(deciderId: string, request: { requestedById: string }): boolean {
  return request.requestedById === deciderId;
}

export function decisionBlockFor(
  decider: { userId: string; role: string },
  request: { requestedById: string; status: string; approverRole: string | null },
): DecisionBlock {
  if (isOwnRequest(decider.userId, request)) return "own_request";
  if (request.status !== "pending_approval") return "decided";
  if (request.approverRole === "system_admin" && decider.role !== "system_admin") return "needs_system_admin";
  return null;
}
