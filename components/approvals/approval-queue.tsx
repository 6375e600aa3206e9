"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { describeAppError } from "../app-error";
import { formatDateTime, formatMoney } from "../format-money";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { ApprovalReasonBadges } from "./approval-reasons";
import { timeLeft, waitingFor } from "./durations";
import type { ApprovalQueueRow } from "./types";

/** How often the queue asks again, so a request another manager decided drops out by itself. */
export const QUEUE_REFRESH_MS = 3_000;

function BlockNote({ row }: { row: ApprovalQueueRow }) {
  if (row.block === "own_request") return <span className="text-xs text-slate-700">Your request: someone else decides</span>;
  if (row.block === "needs_system_admin") return <span className="text-xs text-slate-700">Above your limit: a system admin decides</span>;
  return null;
}

export function ApprovalQueue() {
  const trpc = useTRPC();
  const queue = useQuery(trpc.approval.queue.queryOptions({}, { refetchInterval: QUEUE_REFRESH_MS, refetchIntervalInBackground: false }));

  if (queue.isPending) return <p className="text-sm text-slate-700">Loading the queue…</p>;
  if (queue.isError && !queue.data) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
        The queue could not be loaded: {describeAppError(queue.error)}
      </p>
    );
  }
  const requests = queue.data.requests;
  // The server's clock, the one that set createdAt and expiresAt.
  const now = Date.parse(queue.data.serverTime);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">
        {requests.length === 0 ? "Nothing is waiting for approval." : `${requests.length} ${requests.length === 1 ? "request is" : "requests are"} waiting, soonest to expire first.`}{" "}
        <span className="text-slate-600">
          Updated {formatDateTime(new Date(now).toISOString())}; the list refreshes every {QUEUE_REFRESH_MS / 1000} seconds.
        </span>
      </p>
      {queue.isError && (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          The last refresh failed ({describeAppError(queue.error)}); showing what was loaded before.
        </p>
      )}
      {requests.length > 0 && (
        <Table label="Pending approvals" caption="Cancellation requests waiting for a decision">
          <THead>
            <TR>
              <TH>Order</TH>
              <TH>Customer</TH>
              <TH>Requested by</TH>
              <TH>Items</TH>
              <TH numeric>Refund</TH>
              <TH>Why</TH>
              <TH>Waiting</TH>
              <TH>Expires</TH>
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
                    <div className="font-medium">{r.externalId}</div>
                    <div className="text-xs text-slate-600">{r.storeId}</div>
                  </TD>
                  <TD>{r.customerName}</TD>
                  <TD>{r.requestedBy.name}</TD>
                  <TD>
                    <ul className="space-y-0.5">
                      {r.items.map((i) => (
                        <li key={i.orderLineId}>
                          {i.quantity} × {i.description || i.sku} <span className="text-xs text-slate-600">(line {i.orderLineId})</span>
                        </li>
                      ))}
                    </ul>
                  </TD>
                  <TD numeric className="font-medium">
                    {formatMoney(r.refundAmount, r.currency)}
                  </TD>
                  <TD>
                    <ApprovalReasonBadges reasons={r.reasons} />
                  </TD>
                  <TD className="whitespace-nowrap">{waitingFor(r.createdAt, now)}</TD>
                  <TD className={`whitespace-nowrap ${left?.urgent ? "font-semibold text-red-800" : ""}`}>{left?.text ?? "No expiry"}</TD>
                  <TD>
                    <div className="flex flex-col items-start gap-1">
                      <Link
                        href={`/approvals/${r.cancellationId}`}
                        aria-label={`Review the request for order ${r.externalId}`}
                        className="rounded-md px-2 py-1 text-sm font-medium text-blue-800 underline hover:bg-blue-50"
                      >
                        Review
                      </Link>
                      <BlockNote row={r} />
                    </div>
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </div>
  );
}
