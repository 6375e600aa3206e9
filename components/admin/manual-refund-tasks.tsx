"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { Dialog } from "../dialog";
import { formatMoney } from "../format-money";
import { LocalTime } from "../local-time";
import { tenderLabel } from "../orders/tender-label";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { MANUAL_TASK_ORIGIN, VERIFY_AT_PROVIDER } from "../payments/manual-task-origin";
import { fieldClass, labelClass, sectionClass } from "./form-styles";
import type { ManualRefundTaskRow } from "./types";

function CompleteTaskDialog({ task, onClose }: { task: ManualRefundTaskRow | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const referenceId = useId();
  const complete = useMutation(
    trpc.admin.operations.completeManualRefundTask.mutationOptions({
      onSuccess: async () => {
        toast.show("Marked done.", "success");
        onClose();
        await queryClient.invalidateQueries({ queryKey: trpc.admin.operations.manualRefundTasks.queryKey() });
      },
    }),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!task) return;
    complete.mutate({ taskId: task.taskId, reference: String(new FormData(event.currentTarget).get("reference") ?? "") });
  }
  return (
    <Dialog
      open={task !== null}
      onClose={onClose}
      dismissible={!complete.isPending}
      title="Mark the manual refund done"
      description={task ? `Refund of ${formatMoney(task.amount, task.currency)} on order ${task.externalId}. Record the reference of the refund you made.` : undefined}
    >
      <form onSubmit={onSubmit} className="space-y-4 text-sm">
        {task?.verifyAtProvider && (
          <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
            {VERIFY_AT_PROVIDER} The provider’s answer to our request was never known; look the payment up there before you refund.
          </p>
        )}
        <div>
          <label htmlFor={referenceId} className={labelClass}>
            Reference (bank transfer, provider dashboard id…)
          </label>
          <input id={referenceId} name="reference" required maxLength={200} className={fieldClass} />
        </div>
        {complete.isError && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900">
            {describeAppError(complete.error)}
          </p>
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose} disabled={complete.isPending}>
            Cancel
          </Button>
          <Button type="submit" disabled={complete.isPending}>
            {complete.isPending ? "Saving…" : "Mark done"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function ManualRefundTasks() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<"open" | "done">("open");
  const [completing, setCompleting] = useState<ManualRefundTaskRow | null>(null);
  const tasks = useQuery(trpc.admin.operations.manualRefundTasks.queryOptions({ status }, { refetchInterval: 10_000 }));
  return (
    <section aria-labelledby="manual-refunds-heading" className={sectionClass}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="manual-refunds-heading" className="text-base font-semibold">
          Manual refunds
        </h2>
        <div>
          <label htmlFor="manual-status" className="mr-2 text-sm">
            Show
          </label>
          <select id="manual-status" value={status} onChange={(e) => setStatus(e.target.value as "open" | "done")} className="rounded-md border border-slate-300 px-2 py-1 text-sm">
            <option value="open">Open tasks</option>
            <option value="done">Done tasks</option>
          </select>
        </div>
      </div>
      <p className="mt-1 text-sm text-slate-700">
        Refunds a person completes: refund method “manual”, a provider that declined, or a provider whose answer stayed unknown. A task marked “verify at the provider first” may
        already have been refunded there; one the provider confirms later closes by itself.
      </p>
      <div className="mt-3">
        {tasks.isPending ? (
          <p className="text-sm text-slate-700">Loading…</p>
        ) : tasks.isError ? (
          <p role="alert" className="text-sm text-red-800">
            {describeAppError(tasks.error)}
          </p>
        ) : tasks.data.length === 0 ? (
          <p className="text-sm text-slate-700">{status === "open" ? "No open manual refunds." : "No manual refunds done yet."}</p>
        ) : (
          <Table label="Manual refunds" caption={status === "open" ? "Open manual refunds, oldest first" : "Done manual refunds, newest first"}>
            <THead>
              <TR>
                <TH>Created</TH>
                <TH>Order</TH>
                <TH numeric>Amount</TH>
                <TH>Tender</TH>
                <TH>Why</TH>
                <TH>{status === "open" ? <span className="sr-only">Action</span> : "Reference"}</TH>
              </TR>
            </THead>
            <TBody>
              {tasks.data.map((t) => (
                <TR key={t.taskId}>
                  <TD className="whitespace-nowrap"><LocalTime iso={t.createdAt} /></TD>
                  <TD>
                    <Link href={`/orders/${t.orderId}/cancellations/${t.cancellationId}`} className="text-blue-800 underline">
                      {t.externalId}
                    </Link>
                    <div className="text-xs text-slate-600">{t.storeId}</div>
                  </TD>
                  <TD numeric className="font-medium">
                    {formatMoney(t.amount, t.currency)}
                  </TD>
                  <TD>{t.tender ? tenderLabel(t.tender) : "—"}</TD>
                  <TD className="max-w-sm break-words text-xs">
                    <div className="font-medium text-slate-900">{MANUAL_TASK_ORIGIN[t.origin] ?? t.origin}</div>
                    {t.verifyAtProvider && t.status === "open" && <div className="mt-1 font-semibold text-amber-900">{VERIFY_AT_PROVIDER}</div>}
                    <div className="mt-1 text-slate-600">{t.reason}</div>
                  </TD>
                  <TD>
                    {t.status === "open" ? (
                      <Button variant="secondary" aria-label={`Mark done: refund of ${formatMoney(t.amount, t.currency)} on ${t.externalId}`} onClick={() => setCompleting(t)}>
                        Mark done
                      </Button>
                    ) : (
                      <span>
                        {t.reference} <span className="text-xs text-slate-600">{t.completedAt ? <LocalTime iso={t.completedAt} /> : ""}</span>
                      </span>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
      <CompleteTaskDialog task={completing} onClose={() => setCompleting(null)} />
    </section>
  );
}
