/** Audit actions in words, for the viewer, its filter and the CSV. An unknown action is spelled out from its code. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "order.imported": "Order imported",
  "cancellation.requested": "Cancellation requested",
  "cancellation.override": "Refund rules overridden",
  "cancellation.approved": "Cancellation approved",
  "cancellation.rejected": "Cancellation rejected",
  "cancellation.withdrawn": "Cancellation withdrawn",
  "cancellation.expired": "Approval expired",
  "cancellation.completed": "Cancellation completed",
  "cancellation.failed": "Cancellation failed",
  "manual_refund.completed": "Manual refund completed",
  "manual_refund.closed_by_provider": "Manual refund closed by the provider",
  "manual_refund.paid_twice": "Manual refund paid twice",
  "business_rules.updated": "Business rules changed",
  "user.created": "User created",
  "user.updated": "User changed",
  "user.deactivated": "User deactivated",
  "user.reactivated": "User reactivated",
  "user.totp_reset": "Authenticator reset",
  "api_key.created": "API key created",
  "api_key.revoked": "API key revoked",
  "api_key.rate_limit_changed": "API key rate limit changed",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "audit.exported": "Audit log exported",
  "dead_letter.retried": "Dead letter retried",
  "dead_letter.resolved": "Dead letter resolved",
  "outbox_event.retried": "Parked event retried",
  "embed.session_started": "Embedded session started",
  "embed.token_refused": "Embed token refused",
  "embed_client.registered": "Embed client registered",
  "embed_client.updated": "Embed client changed",
};

export function auditActionLabel(action: string): string {
  const known = AUDIT_ACTION_LABELS[action];
  if (known) return known;
  const words = action.replace(/[._]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : action;
}
