"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { describeAppError } from "../app-error";
import { CancellationStatusBadge } from "../badge";
import { Button } from "../button";
import { formatInstant } from "../format-money";
import { LocalTime, useViewerZone } from "../local-time";
import { TD, TR } from "../table";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { OpsList, ResolveWithNoteDialog } from "./ops-list";
import type { DeadLetterRow } from "./types";

export function DeadLetters() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [includeResolved, setIncludeResolved] = useState(false);
  // The rows' accessible names carry the time as the row shows it: the viewer's zone, named.
  const zone = useViewerZone();
  const [resolving, setResolving] = useState<DeadLetterRow | null>(null);
  const letters = useQuery(trpc.admin.operations.deadLetters.queryOptions({ includeResolved }, { refetchInterval: 10_000 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.operations.deadLetters.queryKey() });
  const retry = useMutation(
    trpc.admin.operations.retryDeadLetter.mutationOptions({
      onSuccess: async () => {
        toast.show("Queued again. The saga resumes where it stopped; nothing is done twice.", "success");
        await refresh();
      },
      onError: (error) => toast.show(describeAppError(error), "error"),
    }),
  );
  const resolve = useMutation(
    trpc.admin.operations.resolveDeadLetter.mutationOptions({
      onSuccess: async () => {
        toast.show("Marked resolved. The job was not run again.", "success");
        setResolving(null);
        await refresh();
      },
    }),
  );
  return (
    <OpsList
      id="dead-letters"
      title="Dead letters"
      description="Background jobs that kept failing after all their retries."
      resolved={{ include: includeResolved, onChange: setIncludeResolved }}
      rows={letters}
      empty="No dead letters."
      caption="Failed background jobs, newest first"
      columns={[{ label: "When" }, { label: "Job" }, { label: "Cancellation" }, { label: "Attempts", numeric: true }, { label: "Error" }, { label: "Resolved" }]}
      row={(d) => (
        <TR key={d.deadLetterId}>
          <TD className="whitespace-nowrap"><LocalTime iso={d.createdAt} /></TD>
          <TD className="font-mono text-xs">{d.step}</TD>
          <TD>
            {d.cancellationId && d.orderId ? (
              <div className="flex flex-col items-start gap-1">
                <Link href={`/orders/${d.orderId}/cancellations/${d.cancellationId}`} className="font-mono text-xs text-blue-800 underline">
                  {d.cancellationId.slice(0, 8)}
                </Link>
                {d.cancellationStatus && <CancellationStatusBadge status={d.cancellationStatus} />}
              </div>
            ) : (
              "—"
            )}
          </TD>
          <TD numeric>{d.attempts}</TD>
          <TD className="max-w-sm break-words text-xs">{d.error}</TD>
          <TD className="max-w-xs break-words">
            {d.resolvedAt ? (
              <span>
                {d.retriedAt ? "Retried" : "Resolved"} <LocalTime iso={d.resolvedAt} />
                {d.resolvedBy && <span className="text-xs text-slate-600"> by {d.resolvedBy}</span>}
                {d.resolutionNote && <span className="block text-xs text-slate-700">{d.resolutionNote}</span>}
              </span>
            ) : (
              "Not yet"
            )}
          </TD>
          <TD>
            {!d.resolvedAt && (
              <div className="flex flex-wrap gap-2">
                <Button variant="secondary" aria-label={`Retry ${d.step} job from ${formatInstant(d.createdAt, zone)}`} disabled={retry.isPending} onClick={() => retry.mutate({ deadLetterId: d.deadLetterId })}>
                  Retry
                </Button>
                <Button variant="secondary" aria-label={`Mark ${d.step} job from ${formatInstant(d.createdAt, zone)} resolved`} onClick={() => setResolving(d)}>
                  Mark resolved
                </Button>
              </div>
            )}
          </TD>
        </TR>
      )}
    >
      <ResolveWithNoteDialog
        open={resolving !== null}
        title="Mark the dead letter resolved"
        description={resolving ? `The ${resolving.step} job from ${formatInstant(resolving.createdAt, zone)} will not be run again. Say what was done instead.` : undefined}
        pending={resolve.isPending}
        error={resolve.isError ? resolve.error : null}
        onClose={() => setResolving(null)}
        onSubmit={(note) => resolving && resolve.mutate({ deadLetterId: resolving.deadLetterId, note })}
      />
    </OpsList>
  );
}
