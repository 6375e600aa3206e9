"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { appErrorOf, describeAppError } from "../app-error";
import { CancellationStatusBadge, cancellationStatusLabel } from "../badge";
import { Button } from "../button";
import { reasonLabel, refundMethodLabel } from "../cancellations/reasons";
import { PreviewTotals } from "../cancellations/refund-preview";
import { formatInstant, formatMoney } from "../format-money";
import { LocalTime, useViewerZone } from "../local-time";
import { describeAllocation } from "../orders/tender-label";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { QUEUE_REFRESH_MS } from "./approval-queue";
import { approverLabel, blockExplanation, describeApprovalReason } from "./approval-reasons";
import { type Decision, DecisionDialog } from "./decision-dialog";
import { timeLeft, waitingFor } from "./durations";
import type { ApprovalRequestView } from "./types";

const DECISIONS: Record<string, string> = { approved: "Approved", rejected: "Rejected", expired: "Expired" };

type Approval = NonNullable<ApprovalRequestView["cancellation"]["approval"]>;

/** "Approved by Maria Manager on Dec 1, 2026, 11:30 AM GMT+1" (the viewer's zone) — "You approved …" for the reader's own decision. */
export function decisionLine(approval: Approval, viewerId: string, zone: string): string {
  const when = formatInstant(approval.decidedAt, zone);
  const what = DECISIONS[approval.decision] ?? approval.decision;
  if (!approval.decidedBy) return `${what} on ${when}${approval.decision === "expired" ? " (nobody decided in time)" : ""}`;
  if (approval.decidedBy.userId === viewerId) return `You ${what.toLowerCase()} it on ${when}`;
  return `${what} by ${approval.decidedBy.name} on ${when}`;
}

/** A discount of zero is shown as "$0.00", not "−$0.00". */
function minus(amount: string, money: (a: string) => string): string {
  return /^0+(\.0+)?$/.test(amount) ? money(amount) : `−${money(amount)}`;
}

/** The approver's view of one request: what would be refunded, to whom, why it waits; approve or reject. */
export function ApprovalDetail({ cancellationId }: { cancellationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const zone = useViewerZone();
  const blockId = useId();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);

  const request = useQuery({
    ...trpc.approval.get.queryOptions({ cancellationId }),
    // While it waits, keep watching: another approver may decide it first.
    refetchInterval: (query) => (query.state.data?.cancellation.status === "pending_approval" || query.state.data?.cancellation.status === "processing" ? QUEUE_REFRESH_MS : false),
    staleTime: 0,
  });

  const refresh = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: trpc.approval.get.queryKey({ cancellationId }) }), queryClient.invalidateQueries({ queryKey: trpc.approval.queue.queryKey() })]);

  const onError = async (error: unknown) => {
    const info = appErrorOf(error);
    if (info?.code === "INVALID_STATE") {
      // Someone else was faster: say so, show what it is now, and close the dialog.
      const status = (info.details as { status?: string } | undefined)?.status;
      setConflict(`Someone else already decided this request${status ? `: it is now ${cancellationStatusLabel(status).toLowerCase()}` : ""}. Nothing was changed by you; the page shows its current state.`);
      setDecision(null);
      await refresh();
      return;
    }
    setDialogError(describeAppError(error));
  };
  // The answer is the request as it is now: show it at once (status, decision, who), then refetch.
  const decided = (message: string) => async (view: ApprovalRequestView["cancellation"]) => {
    queryClient.setQueryData(trpc.approval.get.queryKey({ cancellationId }), (old) => (old ? { ...old, cancellation: view, block: "decided" as const } : old));
    setConflict(null);
    setDecision(null);
    toast.show(message, "success");
    await refresh();
  };
  const approve = useMutation(trpc.cancellation.approve.mutationOptions({ onError, onSuccess: decided("Approved. The refund is being processed.") }));
  const reject = useMutation(trpc.cancellation.reject.mutationOptions({ onError, onSuccess: decided("Rejected. The held units are available again.") }));
  const busy = approve.isPending || reject.isPending;

  const back = (
    <Link href="/approvals" className="text-sm text-blue-800 underline-offset-2 hover:underline">
      ← Back to the approval queue
    </Link>
  );
  if (request.isPending) {
    return (
      <div className="space-y-3">
        {back}
        <p role="status" className="text-sm text-slate-700">
          Loading the request…
        </p>
      </div>
    );
  }
  if (request.isError && !request.data) {
    const notFound = appErrorOf(request.error)?.code === "NOT_FOUND";
    return (
      <div className="space-y-3">
        {back}
        <h1 className="text-2xl font-semibold">{notFound ? "Request not found" : "The request could not be loaded"}</h1>
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          {notFound ? "There is no such cancellation request in your stores." : describeAppError(request.error)}
        </p>
      </div>
    );
  }

  const { cancellation: c, order, block } = request.data;
  const now = Date.parse(request.data.serverTime);
  const money = (a: string) => formatMoney(a, c.currency);
  const left = timeLeft(request.data.expiresAt, now);
  const pending = c.status === "pending_approval";
  // Once decided, the Decision line says by whom and when; "already decided" is for a request the reader has not acted on.
  const explanation = block === "decided" ? null : blockExplanation(block, c.status);
  const lineOf = (id: string) => order.lines.find((l) => l.lineId === id);

  return (
    <div className="min-w-0 space-y-5">
      {back}
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Cancellation request for order {order.externalId}</h1>
        <CancellationStatusBadge status={c.status} />
      </div>

      {conflict && (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p className="font-semibold">Already decided</p>
          <p className="mt-1">{conflict}</p>
        </div>
      )}

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-5">
          <section aria-labelledby="request-summary" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="request-summary" className="text-base font-semibold">
              Request
            </h2>
            {/* The value column may shrink and long words (an email, an external id) break, so a phone never scrolls sideways. */}
            <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-6 gap-y-1 text-sm [overflow-wrap:anywhere]">
              <dt className="text-slate-600">Order</dt>
              <dd>
                <Link href={`/orders/${order.orderId}`} className="text-blue-800 underline">
                  {order.externalId}
                </Link>{" "}
                · {order.storeId} · {order.channel}
              </dd>
              <dt className="text-slate-600">Customer</dt>
              <dd>
                {order.customer.name} <span className="text-slate-600">({[order.customer.email, order.customer.phone].filter(Boolean).join(" · ")})</span>
              </dd>
              <dt className="text-slate-600">Requested by</dt>
              <dd>
                {c.requestedBy.name}, <LocalTime iso={c.createdAt} /> ({waitingFor(c.createdAt, now)} ago)
              </dd>
              {pending && (
                <>
                  <dt className="text-slate-600">Expires</dt>
                  <dd className={left?.urgent ? "font-semibold text-red-800" : ""}>
                    {request.data.expiresAt ? (
                      <>
                        <LocalTime iso={request.data.expiresAt} /> ({left?.text})
                      </>
                    ) : (
                      "Never"
                    )}
                  </dd>
                </>
              )}
              <dt className="text-slate-600">Reason</dt>
              <dd>
                {reasonLabel(c.reason)}
                {c.note ? `: ${c.note}` : ""}
              </dd>
              <dt className="text-slate-600">Refund method</dt>
              <dd>{refundMethodLabel(c.refundMethod)}</dd>
              <dt className="text-slate-600">Needs approval because</dt>
              <dd>
                <ul>
                  {c.approvalReasons.map((r) => (
                    <li key={r}>{describeApprovalReason(r)}</li>
                  ))}
                </ul>
              </dd>
              <dt className="text-slate-600">Who decides</dt>
              <dd>{approverLabel(request.data.approverRole)}</dd>
              {c.approval && (
                <>
                  <dt className="text-slate-600">Decision</dt>
                  <dd>
                    {decisionLine(c.approval, request.data.viewerId, zone)}
                    {c.approval.note ? `: ${c.approval.note}` : ""}
                  </dd>
                </>
              )}
            </dl>
          </section>

          <Table label="Lines to cancel" caption="Units to cancel and their refund per line">
            <THead>
              <TR>
                <TH>Item</TH>
                <TH numeric>Cancel</TH>
                <TH numeric>Ordered</TH>
                <TH numeric>Subtotal</TH>
                <TH numeric>Discount</TH>
                <TH numeric>Tax</TH>
                <TH numeric>Refund</TH>
              </TR>
            </THead>
            <TBody>
              {c.lines.map((l) => {
                const line = lineOf(l.orderLineId);
                return (
                  <TR key={l.orderLineId}>
                    <TD>
                      <div>{line?.description || line?.sku || `Line ${l.orderLineId}`}</div>
                      <div className="text-xs text-slate-600">
                        Line {l.orderLineId}
                        {line ? ` · ${line.sku} · ${money(line.unitPrice)} each` : ""}
                      </div>
                    </TD>
                    <TD numeric className="font-medium">
                      {l.quantity}
                    </TD>
                    <TD numeric>{line?.quantity ?? "—"}</TD>
                    <TD numeric>{money(l.subtotal)}</TD>
                    <TD numeric>{minus(l.discount, money)}</TD>
                    <TD numeric>{money(l.tax)}</TD>
                    <TD numeric className="font-medium">
                      {money(l.total)}
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </div>

        <aside aria-labelledby="refund-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 lg:self-start">
          <h2 id="refund-heading" className="text-base font-semibold">
            Refund {money(c.totals.total)}
          </h2>
          <PreviewTotals totals={c.totals} currency={c.currency} />
          <div>
            <h3 className="mb-1 text-sm font-semibold">Where the money goes</h3>
            <ul className="space-y-1 text-sm" aria-label="Where the money goes">
              {c.allocation.map((a, i) => (
                <li key={`${a.tenderId}-${i}`}>{describeAllocation({ ...a, tenderId: a.tenderId ?? "" }, c.currency, order.tenders)}</li>
              ))}
            </ul>
          </div>

          <div className="space-y-2 border-t border-slate-200 pt-4">
            {explanation && (
              <p id={blockId} className="rounded-md bg-slate-100 p-2 text-sm text-slate-800">
                {explanation}
              </p>
            )}
            {pending ? (
              <div className="flex flex-wrap gap-2">
                <Button
                  onClick={() => {
                    setDialogError(null);
                    setDecision("approve");
                  }}
                  disabled={block !== null || busy}
                  aria-describedby={explanation ? blockId : undefined}
                >
                  Approve
                </Button>
                <Button
                  variant="danger"
                  onClick={() => {
                    setDialogError(null);
                    setDecision("reject");
                  }}
                  disabled={block !== null || busy}
                  aria-describedby={explanation ? blockId : undefined}
                >
                  Reject
                </Button>
              </div>
            ) : (
              <Link href={`/orders/${order.orderId}/cancellations/${c.cancellationId}`} className="text-sm text-blue-800 underline">
                Follow the cancellation&apos;s progress
              </Link>
            )}
          </div>
        </aside>
      </div>

      <DecisionDialog
        decision={decision}
        summary={`${decision === "reject" ? "Reject" : "Approve"} the refund of ${money(c.totals.total)} on order ${order.externalId}, requested by ${c.requestedBy.name}.`}
        busy={busy}
        error={dialogError}
        onClose={() => setDecision(null)}
        onSubmit={(note) => {
          if (decision === "reject") reject.mutate({ cancellationId, note });
          else approve.mutate({ cancellationId, note: note || undefined });
        }}
      />
    </div>
  );
}
