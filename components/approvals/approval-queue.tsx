"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { LocalTime } from "../local-time";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { useDebouncedValue } from "../use-debounced-value";
import { approvalFactLines } from "./approval-facts";
import { ApprovalReasonBadges } from "./approval-reasons";
import { type BulkResultLine, BulkResults } from "./bulk-results";
import { type Decision, DecisionDialog } from "./decision-dialog";
import { timeLeft, waitingFor } from "./durations";
import { NO_FILTERS, QueueFilters, type QueueFilterValues, queueInput } from "./queue-filters";
import type { ApprovalQueueRow } from "./types";

/** How often the queue asks again, so a request another manager decided drops out by itself. */
export const QUEUE_REFRESH_MS = 3_000;

function BlockNote({ row }: { row: ApprovalQueueRow }) {
  if (row.block === "own_request") return <span className="text-xs text-slate-700">Your request: someone else decides</span>;
  if (row.block === "needs_system_admin") return <span className="text-xs text-slate-700">Above your limit: a system admin decides</span>;
  return null;
}

function Facts({ row }: { row: ApprovalQueueRow }) {
  return (
    <ul className="space-y-0.5">
      {approvalFactLines(row).map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

function OrderLink({ row }: { row: ApprovalQueueRow }) {
  return (
    <Link href={`/orders/${row.orderId}`} className="font-medium text-blue-800 underline">
      {row.externalId}
    </Link>
  );
}

function ReviewLink({ row }: { row: ApprovalQueueRow }) {
  return (
    <Link
      href={`/approvals/${row.cancellationId}`}
      aria-label={`Review the request for order ${row.externalId}`}
      className="inline-block rounded-md px-2 py-1 text-sm font-medium text-blue-800 underline hover:bg-blue-50"
    >
      Review
    </Link>
  );
}

function SelectBox({ row, checked, onToggle }: { row: ApprovalQueueRow; checked: boolean; onToggle: () => void }) {
  if (row.block !== null) return null;
  return (
    <input
      type="checkbox"
      className="h-5 w-5"
      checked={checked}
      onChange={onToggle}
      aria-label={`Select the request for order ${row.externalId}`}
    />
  );
}

function Items({ row }: { row: ApprovalQueueRow }) {
  return (
    <ul className="space-y-0.5 text-xs text-slate-700">
      {row.items.map((i) => (
        <li key={i.orderLineId}>
          {i.quantity} × {i.description || i.sku} (line {i.orderLineId})
        </li>
      ))}
    </ul>
  );
}

export function ApprovalQueue() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<QueueFilterValues>(NO_FILTERS);
  // Debounced as text: a fresh object each render would never settle.
  const settled = useDebouncedValue(JSON.stringify(queueInput(filters)), 250);
  const input = useMemo(() => JSON.parse(settled) as ReturnType<typeof queueInput>, [settled]);
  const queue = useQuery(trpc.approval.queue.queryOptions(input, { refetchInterval: QUEUE_REFRESH_MS, refetchIntervalInBackground: false, placeholderData: (previous) => previous }));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [decision, setDecision] = useState<Decision | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [results, setResults] = useState<{ decision: "approved" | "rejected"; lines: BulkResultLine[] } | null>(null);

  const decide = useMutation(
    trpc.approval.decideMany.mutationOptions({
      onError: (error) => setDialogError(describeAppError(error)),
      onSuccess: async (answer, variables) => {
        const byId = new Map((queue.data?.requests ?? []).map((r) => [r.cancellationId, r.externalId]));
        setResults({ decision: variables.decision, lines: answer.results.map((r) => ({ ...r, externalId: byId.get(r.cancellationId) ?? r.cancellationId })) });
        setSelected(new Set());
        setDecision(null);
        await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.approval.queue.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.approval.count.queryKey() })]);
      },
    }),
  );

  if (queue.isPending) return <p className="text-sm text-slate-700">Loading the queue…</p>;
  if (queue.isError && !queue.data) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
        The queue could not be loaded: {describeAppError(queue.error)}
      </p>
    );
  }
  const { requests, matching, stores } = queue.data;
  // The server's clock, the one that set createdAt and expiresAt.
  const now = Date.parse(queue.data.serverTime);
  const decidable = requests.filter((r) => r.block === null);
  // A selection only ever names requests still listed: one decided elsewhere drops out.
  const chosen = decidable.filter((r) => selected.has(r.cancellationId));
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allChosen = decidable.length > 0 && chosen.length === decidable.length;
  const filtered = JSON.stringify(queueInput(filters)) !== JSON.stringify(queueInput(NO_FILTERS));

  return (
    <div className="min-w-0 space-y-3">
      <QueueFilters value={filters} stores={stores} onChange={setFilters} />
      <p className="text-sm text-slate-700">
        {matching === 0
          ? filtered
            ? "No request matches these filters."
            : "Nothing is waiting for approval."
          : `${matching} ${matching === 1 ? "request is" : "requests are"} waiting${filtered ? " (filtered)" : ""}${matching > requests.length ? `; the first ${requests.length} are shown` : ""}.`}{" "}
        <span className="text-slate-600">
          Updated <LocalTime iso={new Date(now).toISOString()} />; the list refreshes every {QUEUE_REFRESH_MS / 1000} seconds.
        </span>
      </p>
      {queue.isError && (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          The last refresh failed ({describeAppError(queue.error)}); showing what was loaded before.
        </p>
      )}
      {results && <BulkResults decision={results.decision} results={results.lines} onDismiss={() => setResults(null)} />}

      {decidable.length > 0 && (
        <div role="group" aria-label="Decide several requests" className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 p-2 text-sm">
          <label className="flex items-center gap-2 px-1">
            <input
              type="checkbox"
              className="h-5 w-5"
              checked={allChosen}
              onChange={() => setSelected(allChosen ? new Set() : new Set(decidable.map((r) => r.cancellationId)))}
            />
            Select all you can decide ({decidable.length})
          </label>
          <span className="text-slate-700">{chosen.length} selected</span>
          <Button disabled={chosen.length === 0 || decide.isPending} onClick={() => {
              setDialogError(null);
              setDecision("approve");
            }}>
            Approve selected
          </Button>
          <Button variant="danger" disabled={chosen.length === 0 || decide.isPending} onClick={() => {
              setDialogError(null);
              setDecision("reject");
            }}>
            Reject selected
          </Button>
        </div>
      )}

      {requests.length > 0 && (
        <>
          {/* Phones: one card per request, nothing wider than the screen. */}
          <ul aria-label="Pending approvals" className="space-y-3 md:hidden">
            {requests.map((r) => {
              const left = timeLeft(r.expiresAt, now);
              return (
                <li key={r.cancellationId} data-cancellation-id={r.cancellationId} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
                  <div className="flex items-start gap-3">
                    <SelectBox row={r} checked={selected.has(r.cancellationId)} onToggle={() => toggle(r.cancellationId)} />
                    <div className="min-w-0 flex-1 space-y-1 break-words">
                      <div className="flex flex-wrap items-baseline justify-between gap-x-2">
                        <OrderLink row={r} />
                        <span className="text-xs text-slate-600">{r.storeId}</span>
                      </div>
                      <div>
                        {r.customerName} <span className="text-slate-600">· requested by {r.requestedBy.name}</span>
                      </div>
                      <div className="font-medium">
                        <Facts row={r} />
                      </div>
                      <ApprovalReasonBadges reasons={r.reasons} />
                      <Items row={r} />
                      <div className="text-xs text-slate-700">
                        Waiting {waitingFor(r.createdAt, now)} · <span className={left?.urgent ? "font-semibold text-red-800" : ""}>{left?.text ?? "No expiry"}</span>
                      </div>
                      <div className="flex flex-wrap items-center gap-2">
                        <ReviewLink row={r} />
                        <BlockNote row={r} />
                      </div>
                    </div>
                  </div>
                </li>
              );
            })}
          </ul>

          <Table label="Pending approvals" caption="Cancellation requests waiting for a decision" className="hidden md:block">
            <THead>
              <TR>
                <TH>
                  <span className="sr-only">Select</span>
                </TH>
                <TH>Order</TH>
                <TH>Customer</TH>
                <TH>Refund and why</TH>
                <TH>Waiting</TH>
                <TH>Time left</TH>
                <TH>
                  <span className="sr-only">Action</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {requests.map((r) => {
                const left = timeLeft(r.expiresAt, now);
                return (
                  <TR key={r.cancellationId} data-cancellation-id={r.cancellationId}>
                    <TD>
                      <SelectBox row={r} checked={selected.has(r.cancellationId)} onToggle={() => toggle(r.cancellationId)} />
                    </TD>
                    <TD>
                      <OrderLink row={r} />
                      <div className="text-xs text-slate-600">
                        {r.storeId} · by {r.requestedBy.name}
                      </div>
                      <Items row={r} />
                    </TD>
                    <TD>{r.customerName}</TD>
                    <TD>
                      <div className="font-medium">
                        <Facts row={r} />
                      </div>
                      <div className="mt-1">
                        <ApprovalReasonBadges reasons={r.reasons} />
                      </div>
                    </TD>
                    <TD className="whitespace-nowrap">{waitingFor(r.createdAt, now)}</TD>
                    <TD className={`whitespace-nowrap ${left?.urgent ? "font-semibold text-red-800" : ""}`}>{left?.text ?? "No expiry"}</TD>
                    <TD>
                      <div className="flex flex-col items-start gap-1">
                        <ReviewLink row={r} />
                        <BlockNote row={r} />
                      </div>
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </>
      )}

      <DecisionDialog
        decision={decision}
        summary={`${decision === "reject" ? "Reject" : "Approve"} ${chosen.length} ${chosen.length === 1 ? "request" : "requests"}: ${chosen.map((r) => r.externalId).join(", ")}. Each is decided on its own; one already decided by someone else is reported and does not stop the others.`}
        busy={decide.isPending}
        error={dialogError}
        onClose={() => setDecision(null)}
        onSubmit={(note) =>
          decide.mutate({ cancellationIds: chosen.map((r) => r.cancellationId), decision: decision === "reject" ? "rejected" : "approved", note: note || undefined })
        }
      />
    </div>
  );
}
