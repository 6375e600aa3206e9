"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { appErrorOf, describeAppError } from "../app-error";
import { Badge, CancellationStatusBadge, cancellationStatusLabel, ProgressBadge } from "../badge";
import { Button } from "../button";
import { formatMoney } from "../format-money";
import { LocalTime } from "../local-time";
import { describeAllocation } from "../orders/tender-label";
import type { CancellationView } from "../orders/types";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { PreviewTotals } from "./refund-preview";
import { APPROVAL_REASONS, reasonLabel, refundMethodLabel } from "./reasons";
import { CustomerMessages } from "./customer-messages";
import { OverrideNotice } from "./override-options";
import { PaymentProgress } from "./payment-progress";
import { WarehouseAnswers } from "./warehouse-answers";
import { WithdrawRequest } from "./withdraw-request";

/** Polling stops once the cancellation needs no more watching: done, failed, or waiting for a person. */
const SETTLED = new Set(["completed", "failed", "pending_approval", "rejected", "expired", "withdrawn"]);


function humanize(step: string) {
  const text = step.replaceAll("_", " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function CancellationStatus({
  orderId,
  cancellationId,
  orderHref = `/orders/${orderId}`,
  onStatusChange,
}: {
  orderId: string;
  cancellationId: string;
  orderHref?: string;
  /** Called once per status and phase the view sees (the first load included). */
  onStatusChange?: (cancellation: CancellationView) => void;
}) {
  const trpc = useTRPC();
  const order = useQuery(trpc.order.get.queryOptions({ orderId }));
  const cancellation = useQuery({
    ...trpc.cancellation.get.queryOptions({ orderId, cancellationId }),
    // A manual refund is done by a person: watched, but not every second.
    refetchInterval: (query) =>
      query.state.data?.progress.phase === "waiting_for_manual_refund" ? 15_000 : query.state.data && SETTLED.has(query.state.data.status) ? false : 1_000,
    staleTime: 0,
  });
  const reported = useRef<string | null>(null);
  useEffect(() => {
    const c = cancellation.data;
    const seen = `${c?.cancellationId}:${c?.status}:${c?.progress.phase}`;
    if (!c || !onStatusChange || reported.current === seen) return;
    reported.current = seen;
    onStatusChange(c);
  }, [cancellation.data, onStatusChange]);

  const back = (
    <Link href={orderHref} className="text-sm text-blue-800 underline-offset-2 hover:underline">
      ← Back to order{order.data ? ` ${order.data.externalId}` : ""}
    </Link>
  );

  if (cancellation.isPending) {
    return (
      <div className="space-y-3">
        {back}
        <p role="status" className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-700">
          Loading cancellation…
        </p>
      </div>
    );
  }
  if (cancellation.isError && !cancellation.data) {
    const notFound = appErrorOf(cancellation.error)?.code === "NOT_FOUND";
    return (
      <div className="space-y-3">
        {back}
        <h1 className="text-2xl font-semibold">{notFound ? "Cancellation not found" : "The cancellation could not be loaded"}</h1>
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          {notFound ? "There is no such cancellation on this order that you are allowed to see." : describeAppError(cancellation.error)}
        </p>
        {!notFound && (
          <Button variant="secondary" onClick={() => cancellation.refetch()}>
            Try again
          </Button>
        )}
      </div>
    );
  }

  const c = cancellation.data;
  const money = (a: string) => formatMoney(a, c.currency);
  const tenders = order.data?.tenders ?? [];
  const lineName = (id: string) => {
    const line = order.data?.lines.find((l) => l.lineId === id);
    return line ? line.description || line.sku : `Line ${id}`;
  };
  const watching = !SETTLED.has(c.status);

  return (
    <div className="space-y-6">
      <div>
        {back}
        <h1 className="mt-2 text-2xl font-semibold">Cancellation</h1>
        <p className="font-mono text-xs text-slate-600">{c.cancellationId}</p>
      </div>

      <section aria-labelledby="status-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="status-heading" className="sr-only">
          Status
        </h2>
        <div role="status" aria-live="polite" className="flex flex-wrap items-center gap-3">
          <span className="text-sm font-semibold">Status:</span>
          <span data-testid="cancellation-status">
            <ProgressBadge progress={c.progress} />
          </span>
          {watching && <span className="text-xs text-slate-600">Checking every second…</span>}
        </div>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
          <p data-testid="cancellation-summary" className="text-sm text-slate-700">
            {c.progress.summary}
          </p>
          {c.waitingFor && (
            <p data-testid="waiting-for-provider" className="mt-2 rounded-md border border-amber-200 bg-amber-50 p-2 text-sm text-amber-900">
              {c.waitingFor.message}: its circuit breaker is open after repeated failures. The payment is retried under the same key when it
              answers again; nothing needs doing here.
            </p>
          )}
          <WithdrawRequest cancellation={c} />
        </div>
        {c.overrides && (
          <div className="mt-3">
            <OverrideNotice overrides={c.overrides} currency={c.currency} />
          </div>
        )}
        {c.approvalRequired && c.approvalReasons.length > 0 && (
          <p className="mt-2 text-sm text-slate-700">Approval was needed because {c.approvalReasons.map((r) => APPROVAL_REASONS[r] ?? r).join(" and ")}.</p>
        )}
        <dl className="mt-4 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">Refund</dt>
            <dd className="mt-1 text-lg font-semibold tabular-nums">{money(c.refundAmount)}</dd>
          </div>
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">Refund method</dt>
            <dd className="mt-1">{refundMethodLabel(c.refundMethod)}</dd>
          </div>
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">Reason</dt>
            <dd className="mt-1">
              {reasonLabel(c.reason)}
              {c.note ? <span className="block break-words text-slate-700">“{c.note}”</span> : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">Requested</dt>
            <dd className="mt-1">
              <LocalTime iso={c.createdAt} /> by {c.requestedBy.name}
            </dd>
          </div>
        </dl>
      </section>

      {c.warehouse && <WarehouseAnswers warehouse={c.warehouse} lineName={lineName} money={money} />}

      <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
        <section aria-labelledby="items-heading" className="space-y-3">
          <h2 id="items-heading" className="text-lg font-semibold">
            Items and refund
          </h2>
          <Table label="Cancelled items">
            <THead>
              <TR>
                <TH>Item</TH>
                <TH numeric>Qty</TH>
                <TH numeric>Total</TH>
              </TR>
            </THead>
            <TBody>
              {c.lines.map((l) => (
                <TR key={l.orderLineId}>
                  <TD>{lineName(l.orderLineId)}</TD>
                  <TD numeric>{l.quantity}</TD>
                  <TD numeric>{money(l.total)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <PreviewTotals totals={c.totals} currency={c.currency} />
          </div>
        </section>

        <section aria-labelledby="payments-heading" className="space-y-3">
          <h2 id="payments-heading" className="text-lg font-semibold">
            Payments
          </h2>
          {c.refundDetails.allocation.length === 0 ? (
            <p className="text-sm text-slate-700">No money moves.</p>
          ) : (
            <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Per-payment status">
              {c.refundDetails.allocation.map((a, i) => (
                <li key={`${a.tenderId}-${a.operation}-${i}`} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
                  <span>{describeAllocation({ ...a, tenderId: a.tenderId ?? "" }, c.currency, tenders)}</span>
                  <CancellationStatusBadge status={a.status} />
                  <PaymentProgress allocation={a} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <CustomerMessages
        orderId={orderId}
        cancellationId={cancellationId}
        status={c.status}
        messageHref={(id) => `/orders/${orderId}/cancellations/${cancellationId}/messages/${id}`}
      />

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="mb-2 text-lg font-semibold">
          Timeline
        </h2>
        {c.timeline.length === 0 ? (
          <p className="text-sm text-slate-700">No steps recorded yet.</p>
        ) : (
          <ol className="relative space-y-3 border-l border-slate-300 pl-5" aria-label="Timeline">
            {c.timeline.map((t, i) => (
              <li key={`${t.at}-${t.step}-${i}`} className="relative">
                <span aria-hidden="true" className="absolute top-1.5 -left-[1.6rem] h-2.5 w-2.5 rounded-full bg-blue-700 ring-4 ring-slate-50" />
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-medium">{humanize(t.step)}</span>
                  <Badge tone={t.status === "failed" ? "danger" : t.status === "succeeded" || t.status === "completed" ? "success" : "neutral"}>
                    {cancellationStatusLabel(t.status)}
                  </Badge>
                  <LocalTime iso={t.at} className="text-xs text-slate-600" />
                </div>
                {t.detail && <p className="text-sm text-slate-700">{t.detail}</p>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
