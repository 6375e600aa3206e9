"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { formatInstant } from "../format-money";
import { LocalTime, useViewerZone } from "../local-time";
import { TD, TR } from "../table";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { OpsList } from "./ops-list";

export function ParkedEvents() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const zone = useViewerZone();
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
    <OpsList
      id="parked-events"
      title="Parked events"
      description="Outbox events the message broker kept refusing. The events after them were published; a retry sends this one again."
      rows={events}
      empty="No parked events."
      caption="Events not published, oldest first"
      columns={[{ label: "Occurred" }, { label: "Event" }, { label: "Order" }, { label: "Attempts", numeric: true }, { label: "Last error" }]}
      row={(e) => (
        <TR key={e.eventId}>
          <TD className="whitespace-nowrap"><LocalTime iso={e.occurredAt} /></TD>
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
            <Button variant="secondary" aria-label={`Retry ${e.type} event from ${formatInstant(e.occurredAt, zone)}`} disabled={retry.isPending} onClick={() => retry.mutate({ eventId: e.eventId })}>
              Retry
            </Button>
          </TD>
        </TR>
      )}
    />
  );
}
