"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { describeAppError } from "../app-error";
import { CancellationStatusBadge } from "../badge";
import { Button } from "../button";
import { formatDateTime } from "../format-money";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { sectionClass } from "./form-styles";

export function DeadLetters() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [includeResolved, setIncludeResolved] = useState(false);
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
                <TH>Retried</TH>
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
                  <TD className="whitespace-nowrap">{d.retriedAt ? formatDateTime(d.retriedAt) : "Not yet"}</TD>
                  <TD>
                    {!d.resolvedAt && (
                      <Button variant="secondary" aria-label={`Retry ${d.step} job from ${formatDateTime(d.createdAt)}`} disabled={retry.isPending} onClick={() => retry.mutate({ deadLetterId: d.deadLetterId })}>
                        Retry
                      </Button>
                    )}
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
