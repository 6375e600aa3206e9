import { cancellationStatusLabel } from "../badge";

export interface BulkResultLine {
  cancellationId: string;
  externalId: string;
  ok: boolean;
  code?: string;
  status: string | null;
  message?: string;
}

function failureText(r: BulkResultLine): string {
  if (r.code === "INVALID_STATE") return `not changed: someone else already decided it${r.status ? ` (it is ${cancellationStatusLabel(r.status).toLowerCase()})` : ""}`;
  if (r.code === "SELF_APPROVAL_FORBIDDEN") return "not changed: you requested it, so someone else decides (four eyes)";
  if (r.code === "MANAGER_LIMIT_EXCEEDED" || r.code === "FORBIDDEN") return "not changed: above your limit, a system admin decides";
  if (r.code === "NOT_FOUND") return "not changed: no longer in your stores";
  return `not changed: ${r.message ?? r.code}`;
}

/** What happened to each selected request, one line each, so a partial success reads as one. */
export function BulkResults({ decision, results, onDismiss }: { decision: "approved" | "rejected"; results: BulkResultLine[]; onDismiss: () => void }) {
  const done = results.filter((r) => r.ok).length;
  const verb = decision === "approved" ? "Approved" : "Rejected";
  return (
    <section aria-labelledby="bulk-results-heading" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <div className="flex items-start justify-between gap-2">
        <h2 id="bulk-results-heading" className="font-semibold" role="status">
          {verb} {done} of {results.length} {results.length === 1 ? "request" : "requests"}
        </h2>
        <button type="button" onClick={onDismiss} className="rounded px-2 py-0.5 text-blue-800 underline hover:bg-blue-50">
          Dismiss
        </button>
      </div>
      <ul aria-label="Result per request" className="mt-2 space-y-1">
        {results.map((r) => (
          <li key={r.cancellationId} className={r.ok ? "text-green-900" : "text-amber-950"}>
            <span className="font-medium">{r.externalId}</span>: {r.ok ? `${verb.toLowerCase()}${r.status ? ` (${cancellationStatusLabel(r.status).toLowerCase()})` : ""}` : failureText(r)}
          </li>
        ))}
      </ul>
    </section>
  );
}
