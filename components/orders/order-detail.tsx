"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { appErrorOf, describeAppError } from "../app-error";
import { Button } from "../button";
import { CancelWorkspace } from "../cancellations/cancel-workspace";
import { CancellationHistory } from "../cancellations/cancellation-history";
import { useTRPC } from "../trpc";
import { CustomerPanel } from "./customer-panel";
import { OrderSummary } from "./order-summary";
import type { SubmitResultView } from "./types";

export function OrderDetail({
  orderId,
  compact = false,
  cancellationHref,
  onSubmitted,
}: {
  orderId: string;
  /** Embedded in a CRM frame: no links back into the full app (they cannot be framed). */
  compact?: boolean;
  cancellationHref?: (cancellationId: string) => string;
  onSubmitted?: (result: SubmitResultView) => void;
}) {
  const trpc = useTRPC();
  const order = useQuery(trpc.order.get.queryOptions({ orderId }));

  if (order.isPending) {
    return (
      <p role="status" className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-700">
        Loading order…
      </p>
    );
  }
  if (order.isError) {
    const notFound = appErrorOf(order.error)?.code === "NOT_FOUND";
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold">{notFound ? "Order not found" : "The order could not be loaded"}</h1>
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          {notFound ? "There is no order with this ID that you are allowed to see." : describeAppError(order.error)}
        </p>
        <div className="flex gap-2">
          {!notFound && (
            <Button variant="secondary" onClick={() => order.refetch()}>
              Try again
            </Button>
          )}
          {!compact && (
            <Link href="/orders" className="rounded-md px-3 py-2 text-sm font-medium text-blue-800 hover:bg-blue-50">
              Back to orders
            </Link>
          )}
        </div>
      </div>
    );
  }

  const data = order.data;
  return (
    // On a phone the summary is a bottom sheet over the page's end: leave room to scroll past it.
    <div className={compact ? "space-y-6" : "space-y-6 pb-40 lg:pb-0"}>
      <div>
        {!compact && (
          <nav aria-label="Breadcrumb" className="text-sm">
            <Link href="/orders" className="text-blue-800 underline underline-offset-2 hover:text-blue-950">
              Orders
            </Link>
            <span aria-hidden="true" className="px-1 text-slate-500">
              /
            </span>
            <span aria-current="page">{data.externalId}</span>
          </nav>
        )}
        <h1 className={`${compact ? "text-xl" : "mt-1 text-2xl"} font-semibold break-words`}>Order {data.externalId}</h1>
        <p className="font-mono text-xs text-slate-600">{data.orderId}</p>
        {!compact && <CustomerPanel orderId={data.orderId} />}
      </div>
      {/* Issue 15, one screen: the lines with their steppers and the summary come first; the order's facts follow. */}
      <CancelWorkspace order={data} compact={compact} cancellationHref={cancellationHref} onSubmitted={onSubmitted} />
      <OrderSummary order={data} />
      <CancellationHistory orderId={data.orderId} cancellationHref={cancellationHref} />
    </div>
  );
}
