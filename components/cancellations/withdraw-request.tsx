"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { appErrorOf, describeAppError } from "../app-error";
import { cancellationStatusLabel } from "../badge";
import { Button } from "../button";
import { Dialog } from "../dialog";
import type { CancellationView } from "../orders/types";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";

/**
 * The requester's "Withdraw" for a request that still waits for approval
 * (SPEC §6). Shown to the requester and to system admins; the server checks
 * the same rule (withdrawCancellation), this only hides a button that would fail.
 */
export function WithdrawRequest({
  cancellation,
}: {
  cancellation: Pick<CancellationView, "orderId" | "cancellationId" | "status"> & { requestedBy: Pick<CancellationView["requestedBy"], "userId"> };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const me = useQuery(trpc.me.queryOptions());
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noteId = useId();
  const noteRef = useRef<HTMLTextAreaElement>(null);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.cancellation.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.order.get.queryKey({ orderId: cancellation.orderId }) }),
    ]);
  const withdraw = useMutation(
    trpc.cancellation.withdraw.mutationOptions({
      onSuccess: async (view) => {
        queryClient.setQueryData(trpc.cancellation.get.queryKey({ orderId: cancellation.orderId, cancellationId: cancellation.cancellationId }), view);
        setOpen(false);
        toast.show("Request withdrawn. The held units can be cancelled again.", "success");
        await refresh();
      },
      onError: async (e) => {
        const info = appErrorOf(e);
        if (info?.code === "CANCELLATION_NOT_PENDING") {
          const status = (info.details as { status?: string } | undefined)?.status;
          setOpen(false);
          toast.show(`It can no longer be withdrawn${status ? `: it is ${cancellationStatusLabel(status).toLowerCase()}` : ""}.`, "error");
          await refresh();
          return;
        }
        setError(describeAppError(e));
      },
    }),
  );

  const mayWithdraw = me.data && (me.data.userId === cancellation.requestedBy.userId || me.data.role === "system_admin");
  if (cancellation.status !== "pending_approval" || !mayWithdraw) return null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get("note") ?? "").trim();
    setError(null);
    withdraw.mutate({ cancellationId: cancellation.cancellationId, note: note || undefined });
  }

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Withdraw request
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          setError(null);
          setOpen(false);
        }}
        dismissible={!withdraw.isPending}
        title="Withdraw this request"
        description="Nobody has decided it yet. Withdrawing ends it: the held units become cancellable again and no money moves."
        initialFocusRef={noteRef}
      >
        <form onSubmit={submit} noValidate className="space-y-4 text-sm">
          <div>
            <label htmlFor={noteId} className="font-medium text-slate-800">
              Note (optional)
            </label>
            <textarea ref={noteRef} id={noteId} name="note" rows={2} maxLength={1000} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2" />
          </div>
          {error && (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900">
              {error}
            </p>
          )}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={withdraw.isPending}>
              Keep the request
            </Button>
            <Button type="submit" variant="danger" disabled={withdraw.isPending}>
              {withdraw.isPending ? "Withdrawing…" : "Withdraw request"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
