"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { formatDateTime } from "../format-money";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { sectionClass } from "./form-styles";

export function ParkedEvents() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const events = useQuery(trpc.admin.operations.parkedEvents.queryOptions({}, { refetchInterval: 10_000 }));
  const retry = useMutation(
    trpc.admin.operations.retryParkedEvent.mutationOptions({
      onSuccess: async () => {
        toast.show("Handed back to the relay; it publishes the event on its next round.", "success");
        await queryClient.invalidateQueries({ queryKey: trpc.admin.operations.parkedEvents.queryKey() });
      },
      onError: (error) => toast.show(describeAppError(error), "error"),
    }),
  );
  return (
    <section aria-labelledby="parked-events-heading" className={sectionClass}>
      <h2 id="parked-events-heading" className="text-base font-semibold">
        Parked events
      </h2>
      <p className="mt-1 text-sm text-slate-700">Outbox events the message broker kept refusing. The events after them were published; a retry sends this one again.</p>
      <div className="mt-3">
        {events.isPending ? (
          <p className="text-sm text-slate-700">Loading…</p>
        ) : events.isError ? (
          <p role="alert" className="text-sm text-red-800">
            {describeAppError(events.error)}
          </p>
        ) : events.data.length === 0 ? (
          <p className="text-sm text-slate-700">No parked events.</p>
        ) : (
          <Table label="Parked events" caption="Events not published, oldest first">
            <THead>
              <TR>
                <TH>Occurred</TH>
                <TH>Event</TH>
                <TH>Order</TH>
                <TH numeric>Attempts</TH>
                <TH>Last error</TH>
                <TH>
                  <span className="sr-only">Action</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {events.data.map((e) => (
                <TR key={e.eventId}>
                  <TD className="whitespace-nowrap">{formatDateTime(e.occurredAt)}</TD>
                  <TD>
                    <span className="font-mono text-xs">{e.type}</span>
                    <div className="text-xs text-slate-600">{e.topic}</div>
                  </TD>
                  <TD>
                    <Link href={`/orders/${e.orderId}`} className="font-mono text-xs text-blue-800 underline">
                      {e.orderId.slice(0, 8)}
                    </Link>
                  </TD>
                  <TD numeric>{e.attempts}</TD>
                  <TD className="max-w-sm break-words text-xs">{e.lastError ?? "—"}</TD>
                  <TD>
                    <Button variant="secondary" aria-label={`Retry ${e.type} event from ${formatDateTime(e.occurredAt)}`} disabled={retry.isPending} onClick={() => retry.mutate({ eventId: e.eventId })}>
                      Retry
                    </Button>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </section>
  );
}
