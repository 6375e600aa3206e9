import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger";

const TONES: Record<BadgeTone, string> = {
  neutral: "bg-slate-100 text-slate-800 ring-slate-300",
  info: "bg-blue-50 text-blue-800 ring-blue-200",
  success: "bg-green-50 text-green-800 ring-green-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-300",
  danger: "bg-red-50 text-red-800 ring-red-200",
};

export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: ReactNode }) {
  return (
    <span className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}>
      {children}
    </span>
  );
}

const ORDER_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  OPEN: { label: "Open", tone: "info" },
  PARTIALLY_CANCELLED: { label: "Partially cancelled", tone: "warning" },
  CANCELLED: { label: "Cancelled", tone: "danger" },
  PARTIALLY_SHIPPED: { label: "Partially shipped", tone: "info" },
  SHIPPED: { label: "Shipped", tone: "success" },
  COMPLETED: { label: "Completed", tone: "neutral" },
};

export function orderStatusLabel(status: string): string {
  return ORDER_STATUS[status]?.label ?? status;
}

export function OrderStatusBadge({ status }: { status: string }) {
  const s = ORDER_STATUS[status] ?? { label: status, tone: "neutral" as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

const CANCELLATION_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  pending_approval: { label: "Pending approval", tone: "warning" },
  awaiting_warehouse: { label: "Waiting for the warehouse", tone: "warning" },
  processing: { label: "Processing", tone: "info" },
  completed: { label: "Completed", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  rejected: { label: "Rejected", tone: "danger" },
  expired: { label: "Expired", tone: "neutral" },
  withdrawn: { label: "Withdrawn", tone: "neutral" },
  // Per-tender and timeline statuses.
  pending: { label: "Pending", tone: "info" },
  succeeded: { label: "Succeeded", tone: "success" },
  manual_required: { label: "Manual refund needed", tone: "warning" },
  waiting_for_manual_refund: { label: "Waiting for manual refund", tone: "warning" },
  started: { label: "Started", tone: "info" },
  skipped: { label: "Skipped", tone: "neutral" },
  accepted: { label: "Accepted", tone: "neutral" },
  sent: { label: "Sent", tone: "neutral" },
  // The warehouse's answers (SPEC §11).
  confirmed: { label: "Stopped", tone: "success" },
  partial: { label: "Partly stopped", tone: "warning" },
  timed_out: { label: "No answer", tone: "warning" },
};

function humanize(status: string): string {
  const text = status.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function cancellationStatusLabel(status: string): string {
  return CANCELLATION_STATUS[status]?.label ?? humanize(status);
}

const PROGRESS_TONES: Record<string, BadgeTone> = {
  waiting_for_approval: "warning",
  waiting_for_warehouse: "warning",
  waiting_for_manual_refund: "warning",
  done: "success",
  failed: "danger",
  rejected: "danger",
  expired: "neutral",
  withdrawn: "neutral",
};

/** A cancellation's badge from what it is doing now (the server's progress), not its bare status. */
export function ProgressBadge({ progress }: { progress: { phase: string; label: string } }) {
  return <Badge tone={PROGRESS_TONES[progress.phase] ?? "info"}>{progress.label}</Badge>;
}

export function CancellationStatusBadge({ status }: { status: string }) {
  const s = CANCELLATION_STATUS[status] ?? { label: humanize(status), tone: "neutral" as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
