"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { describeAppError } from "../app-error";
import { CancellationStatusBadge } from "../badge";
import { Button } from "../button";
import { Dialog } from "../dialog";
import { formatDateTime } from "../format-money";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { fieldClass, labelClass, sectionClass } from "./form-styles";
import type { DeadLetterRow } from "./types";

function ResolveDeadLetterDialog({ letter, onClose }: { letter: DeadLetterRow | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const noteId = useId();
  const resolve = useMutation(
    trpc.admin.operations.resolveDeadLetter.mutationOptions({
      onSuccess: async () => {
        toast.show("Marked resolved. The job was not run again.", "success");
        onClose();
        await queryClient.invalidateQueries({ queryKey: trpc.admin.operations.deadLetters.queryKey() });
      },
    }),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!letter) return;
    resolve.mutate({ deadLetterId: letter.deadLetterId, note: String(new FormData(event.currentTarget).get("note") ?? "") });
  }
  return (
    <Dialog
      open={letter !== null}
      onClose={onClose}
      dismissible={!resolve.isPending}
      title="Mark the dead letter resolved"
      description={letter ? `The ${letter.step} job from ${formatDateTime(letter.createdAt)} will not be run again. Say what was done instead.` : undefined}
    >
      <form onSubmit={onSubmit} className="space-y-4 text-sm">
        <div>
          <label htmlFor={noteId} className={labelClass}>
            Note (required)
          </label>
          <textarea id={noteId} name="note" required maxLength={1000} rows={3} className={fieldClass} />
        </div>
        {resolve.isError && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900">
            {describeAppError(resolve.error)}
          </p>
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose} disabled={resolve.isPending}>
            Cancel
          </Button>
          <Button type="submit" disabled={resolve.isPending}>
            {resolve.isPending ? "Saving…" : "Mark resolved"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function DeadLetters() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [includeResolved, setIncludeResolved] = useState(false);
  const [resolving, setResolving] = useState<DeadLetterRow | null>(null);
  const letters = useQuery(trpc.admin.operations.deadLetters.queryOptions({ includeResolved }, { refetchInterval: 10_000 }));
  const retry = useMutation(
    trpc.admin.operations.retryDeadLetter.mutationOptions({
      onSuccess: async () => {
        toast.show("Queued again. The saga resumes where it stopped; nothing is done twice.", "success");
        await queryClient.invalidateQueries({ queryKey: trpc.admin.operations.deadLetters.queryKey() });
      },
      onError: (error) => toast.show(describeAppError(error), "error"),
    }),
  );
  return (
    <section aria-labelledby="dead-letters-heading" className={sectionClass}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="dead-letters-heading" className="text-base font-semibold">
          Dead letters
        </h2>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={includeResolved} onChange={(e) => setIncludeResolved(e.target.checked)} className="h-4 w-4" />
          Show resolved ones too
        </label>
      </div>
      <p className="mt-1 text-sm text-slate-700">Background jobs that kept failing after all their retries.</p>
      <div className="mt-3">
        {letters.isPending ? (
          <p className="text-sm text-slate-700">Loading…</p>
        ) : letters.isError ? (
          <p role="alert" className="text-sm text-red-800">
            {describeAppError(letters.error)}
          </p>
        ) : letters.data.length === 0 ? (
          <p className="text-sm text-slate-700">No dead letters.</p>
        ) : (
          <Table label="Dead letters" caption="Failed background jobs, newest first">
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Job</TH>
                <TH>Cancellation</TH>
                <TH numeric>Attempts</TH>
                <TH>Error</TH>
                <TH>Resolved</TH>
                <TH>
                  <span className="sr-only">Action</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {letters.data.map((d) => (
                <TR key={d.deadLetterId}>
                  <TD className="whitespace-nowrap">{formatDateTime(d.createdAt)}</TD>
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
                        {d.retriedAt ? "Retried" : "Resolved"} {formatDateTime(d.resolvedAt)}
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
                        <Button variant="secondary" aria-label={`Retry ${d.step} job from ${formatDateTime(d.createdAt)}`} disabled={retry.isPending} onClick={() => retry.mutate({ deadLetterId: d.deadLetterId })}>
                          Retry
                        </Button>
                        <Button variant="secondary" aria-label={`Mark ${d.step} job from ${formatDateTime(d.createdAt)} resolved`} onClick={() => setResolving(d)}>
                          Mark resolved
                        </Button>
                      </div>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
      <ResolveDeadLetterDialog letter={resolving} onClose={() => setResolving(null)} />
    </section>
  );
}
