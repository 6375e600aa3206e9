"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { describeAppError } from "../app-error";
import { ProgressBadge } from "../badge";
import { Button } from "../button";
import { formatMoney } from "../format-money";
import { LocalTime } from "../local-time";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { reasonLabel } from "./reasons";

export function CancellationHistory({
  orderId,
  cancellationHref = (cancellationId) => `/orders/${orderId}/cancellations/${cancellationId}`,
}: {
  orderId: string;
  cancellationHref?: (cancellationId: string) => string;
}) {
  const trpc = useTRPC();
  const list = useQuery(trpc.cancellation.list.queryOptions({ orderId }));
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading" className="mb-2 text-lg font-semibold">
        Cancellation history
      </h2>
      {list.isPending ? (
        <p role="status" className="text-sm text-slate-700">
          Loading cancellations…
        </p>
      ) : list.isError ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p>The cancellation history could not be loaded: {describeAppError(list.error)}</p>
          <Button variant="secondary" className="mt-2" onClick={() => list.refetch()}>
            Try again
          </Button>
        </div>
      ) : list.data.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">No cancellations on this order yet.</p>
      ) : (
        <Table label="Cancellation history">
          <THead>
            <TR>
              <TH>Requested</TH>
              <TH>Items</TH>
              <TH>Status</TH>
              <TH className="hidden sm:table-cell">Reason</TH>
              <TH numeric>Refund</TH>
            </TR>
          </THead>
          <TBody>
            {list.data.map((c) => (
              <TR key={c.cancellationId}>
                <TD className="whitespace-nowrap">
                  <Link
                    href={cancellationHref(c.cancellationId)}
                    className="font-medium text-blue-800 underline-offset-2 hover:underline"
                  >
                    <LocalTime iso={c.createdAt} />
                  </Link>
                  <div className="text-xs text-slate-600">by {c.requestedBy.name}</div>
                </TD>
                <TD>
                  <ul aria-label="Items">
                    {c.items.map((i) => (
                      <li key={i.orderLineId}>
                        {i.quantity} × {i.description}
                      </li>
                    ))}
                  </ul>
                </TD>
                <TD>
                  <ProgressBadge progress={c.progress} />
                </TD>
                <TD className="hidden sm:table-cell">{reasonLabel(c.reason)}</TD>
                <TD numeric className="whitespace-nowrap">
                  {formatMoney(c.refundAmount, c.currency)}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
