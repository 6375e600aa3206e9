"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { describeAppError } from "../app-error";
import { Badge, CancellationStatusBadge, OrderStatusBadge } from "../badge";
import { Button } from "../button";
import { formatMoney } from "../format-money";
import { LocalTime } from "../local-time";
import { useTRPC } from "../trpc";

export type CustomerContextView = inferRouterOutputs<AppRouter>["order"]["customer"];

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * "The customer beside the order" (issue 15, point 6): a button in the order's header that says
 * the velocity state at a glance, opening a side panel with the customer's other orders, their
 * cancellations and refunds, and the velocity counters exactly as the approval policy counts them.
 * A side sheet rather than a column: the order's own screen keeps its width.
 */
export function CustomerPanel({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const context = useQuery(trpc.order.customer.queryOptions({ orderId }));
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      closeRef.current?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  const data = context.data;
  const flagged = data && (data.velocity.tooManyOtherOrders || data.velocity.refundedTooMuch);
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
      <Button variant="secondary" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Customer history
      </Button>
      {data && (
        <span className="text-slate-700">
          {data.history ? `${plural(data.history.otherOrders.total, "other order")} · ` : ""}
          cancellations on {plural(data.velocity.otherOrdersWithCancellations24h, "other order")} in 24 h{data.velocity.scope === "your_stores" ? " in your stores" : ""}
          {flagged && (
            <>
              {" "}
              <Badge tone="warning">Velocity: approval needed</Badge>
            </>
          )}
        </span>
      )}
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        onClose={() => setOpen(false)}
        className="fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-none w-full max-w-md overflow-y-auto bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        {open && (
          <div className="space-y-6 p-5">
            <div className="flex items-start justify-between gap-3">
              <h2 id={titleId} className="text-lg font-semibold">
                Customer
              </h2>
              <Button ref={closeRef} variant="ghost" onClick={() => setOpen(false)}>
                Close
              </Button>
            </div>
            {context.isPending ? (
              <p role="status">Loading the customer…</p>
            ) : context.isError ? (
              <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
                <p>{describeAppError(context.error)}</p>
                <Button variant="secondary" className="mt-2" onClick={() => context.refetch()}>
                  Try again
                </Button>
              </div>
            ) : (
              <CustomerDetails data={context.data} />
            )}
          </div>
        )}
      </dialog>
    </div>
  );
}

function CustomerDetails({ data }: { data: CustomerContextView }) {
  const v = data.velocity;
  // SPEC §1: a store manager's counters cover their stores only, and say so.
  const yours = v.scope === "your_stores";
  return (
    <>
      <section aria-label="Who">
        <p className="font-medium break-words">{data.customer.name}</p>
        <p className="text-sm break-words text-slate-700">{data.customer.email}</p>
        {data.customer.phone && <p className="text-sm text-slate-700">{data.customer.phone}</p>}
        <p className="font-mono text-xs text-slate-600">Customer {data.customer.id}</p>
        {data.customer.masked && <p className="mt-1 text-xs text-slate-600">Name, email and phone are masked: you lack the read_order_pii permission.</p>}
      </section>

      <section aria-labelledby="velocity-heading">
        <h3 id="velocity-heading" className="font-semibold">
          {yours ? "Velocity in your stores" : "Velocity (as the approval policy counts it)"}
        </h3>
        <dl className="mt-2 grid grid-cols-[1fr_auto] gap-x-3 gap-y-1 text-sm">
          <dt>Other orders with cancellations, last 24 h{yours ? ", in your stores" : ""}</dt>
          <dd className="text-right tabular-nums">
            {v.otherOrdersWithCancellations24h} <span className="text-slate-600">of {v.otherOrdersThreshold}</span>
          </dd>
          <dt>
            Returned to the customer, last 7 days ({v.currency}){yours ? ", in your stores" : ""}
          </dt>
          <dd className="text-right tabular-nums">
            {formatMoney(v.refunded7d, v.currency)}
            {v.refundedThreshold !== null && <span className="text-slate-600"> of {formatMoney(v.refundedThreshold, v.currency)}</span>}
          </dd>
        </dl>
        <p className="mt-2 text-sm">
          {v.tooManyOtherOrders || v.refundedTooMuch ? (
            <Badge tone="warning">
              {v.tooManyOtherOrders ? "Too many other orders with cancellations" : "Too much returned this week"}
              {yours ? " in your stores" : ""}: an agent&apos;s cancellation needs approval
            </Badge>
          ) : yours ? (
            <span className="text-slate-700">Below both thresholds in your stores.</span>
          ) : (
            <span className="text-slate-700">Below both thresholds: velocity asks for no approval.</span>
          )}
        </p>
        <p className="mt-1 text-xs text-slate-600">
          {yours
            ? "Counted over your stores' orders only; each request's preview says whether it needs approval."
            : "Counted across every store, like the policy."}
        </p>
      </section>

      {data.history === null ? (
        <p className="text-sm text-slate-700">The customer&apos;s history is hidden: you lack the read_customer_data permission.</p>
      ) : (
        <>
          <section aria-labelledby="other-orders-heading">
            <h3 id="other-orders-heading" className="font-semibold">
              Other orders <span className="font-normal text-slate-600">({data.history.otherOrders.total})</span>
            </h3>
            {data.history.otherOrders.orders.length === 0 ? (
              <p className="mt-1 text-sm text-slate-700">No other orders.</p>
            ) : (
              <ul className="mt-2 divide-y divide-slate-200 text-sm" aria-label="Other orders">
                {data.history.otherOrders.orders.map((o) => (
                  <li key={o.orderId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span>
                      <Link href={`/orders/${o.orderId}`} className="font-medium text-blue-800 underline underline-offset-2">
                        {o.externalId}
                      </Link>
                      <span className="block text-xs text-slate-600">
                        <LocalTime iso={o.createdAt} /> · {o.storeId}
                      </span>
                    </span>
                    <span className="flex items-center gap-2">
                      <OrderStatusBadge status={o.status} />
                      <span className="tabular-nums">{formatMoney(o.total, o.currency)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {data.history.otherOrders.total > data.history.otherOrders.orders.length && (
              <p className="mt-1 text-xs text-slate-600">The newest {data.history.otherOrders.orders.length} are shown.</p>
            )}
          </section>

          <section aria-labelledby="customer-cancellations-heading">
            <h3 id="customer-cancellations-heading" className="font-semibold">
              Cancellations and refunds <span className="font-normal text-slate-600">({data.history.cancellations.total})</span>
            </h3>
            {data.history.refunded.length > 0 && (
              <p className="mt-1 text-sm">Refunded (completed): {data.history.refunded.map((r) => formatMoney(r.amount, r.currency)).join(" · ")}</p>
            )}
            {data.history.cancellations.cancellations.length === 0 ? (
              <p className="mt-1 text-sm text-slate-700">No cancellations yet.</p>
            ) : (
              <ul className="mt-2 divide-y divide-slate-200 text-sm" aria-label="Cancellations and refunds">
                {data.history.cancellations.cancellations.map((c) => (
                  <li key={c.cancellationId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span>
                      <Link href={`/orders/${c.orderId}/cancellations/${c.cancellationId}`} className="font-medium text-blue-800 underline underline-offset-2">
                        {c.onThisOrder ? "This order" : c.externalId}
                      </Link>
                      <span className="block text-xs text-slate-600">
                        <LocalTime iso={c.createdAt} /> · {plural(c.units, "unit")}
                      </span>
                    </span>
                    <span className="flex items-center gap-2">
                      <CancellationStatusBadge status={c.status} />
                      <span className="tabular-nums">{formatMoney(c.refundAmount, c.currency)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
