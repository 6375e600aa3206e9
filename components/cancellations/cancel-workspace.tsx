"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { appErrorOf, describeAppError } from "../app-error";
import { cancellationStatusLabel } from "../badge";
import { Button } from "../button";
import type { CancellationRequest, OrderView, PreviewView, SubmitResultView } from "../orders/types";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { ConfirmCancellationDialog, type Confirmation } from "./confirm-cancellation-dialog";
import { newIdempotencyKey } from "./idempotency-key";
import { LineSelection } from "./line-selection";
import { type OverrideChoice, OverrideOptions, overridesFor } from "./override-options";
import { REASONS, reasonOptionLabel, REFUND_METHODS, type RefundMethod } from "./reasons";
import { RefundPreview } from "./refund-preview";
import { useRefundPreview } from "./use-refund-preview";

const CANCELLABLE_STATUSES = new Set(["OPEN", "PARTIALLY_CANCELLED", "PARTIALLY_SHIPPED", "SHIPPED"]);
const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

/** Choose lines and quantities, see the live refund preview, confirm and submit. */
export function CancelWorkspace({
  order,
  cancellationHref = (cancellationId) => `/orders/${order.orderId}/cancellations/${cancellationId}`,
  onSubmitted,
}: {
  order: OrderView;
  /** Where the submitted cancellation's status is shown (the embed frame has its own route). */
  cancellationHref?: (cancellationId: string) => string;
  onSubmitted?: (result: SubmitResultView) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [refundMethod, setRefundMethod] = useState<RefundMethod>("original");
  const [override, setOverride] = useState<OverrideChoice>("none");
  const [showErrors, setShowErrors] = useState(false);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const inFlight = useRef(false);

  // A refetched order may have fewer cancellable units than were chosen: never ask for more.
  const quantityOf = (lineId: string) => {
    const line = order.lines.find((l) => l.lineId === lineId);
    return Math.min(quantities[lineId] ?? 0, line?.cancellable ?? 0);
  };
  const chosen = order.lines.filter((l) => quantityOf(l.lineId) > 0);
  // The amounts and the approval gate do not depend on the reason (SPEC §3, §5), so the preview
  // does not wait for one and is not refetched when it changes.
  // The reason codes in force (admins change them); SPEC §5's list until they load.
  const reasonCodes = useQuery(trpc.cancellation.reasonCodes.queryOptions()).data ?? REASONS.map((r) => ({ code: r.code, requiresNote: r.code === "OTHER" }));
  const previewReason = reasonCodes.find((r) => !r.requiresNote)?.code ?? "CUSTOMER_REQUEST";
  // SPEC §5: only holders of override_cancellation_rules are offered the overrides (the server checks too).
  const mayOverride = useQuery(trpc.me.queryOptions()).data?.permissions.includes("override_cancellation_rules") ?? false;
  const overrides = mayOverride ? overridesFor(override) : undefined;
  const previewRequest: CancellationRequest | null = chosen.length
    ? { orderLineIds: chosen.map((l) => l.lineId), quantities: chosen.map((l) => quantityOf(l.lineId)), reason: previewReason, refundMethod, ...(overrides ? { overrides } : {}) }
    : null;
  const { preview, error, updating, fresh } = useRefundPreview(order.orderId, previewRequest);

  const noteForReason = reasonCodes.some((r) => r.code === reason && r.requiresNote);
  const needsNote = noteForReason || overrides !== undefined;
  const reasonError = reason === "" ? "Choose a reason." : null;
  const noteError = needsNote && note.trim() === "" ? (noteForReason ? "Explain the reason in a note." : "Say in a note why you override the refund rules.") : null;

  const submit = useMutation(trpc.cancellation.submit.mutationOptions());

  const invalidateOrder = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.order.get.queryKey({ orderId: order.orderId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.cancellation.pathKey() }),
    ]);

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reasonError || noteError) {
      setShowErrors(true);
      (reasonError ? reasonRef : noteRef).current?.focus();
      return;
    }
    if (!fresh || !preview || !previewRequest) return;
    setConfirmation({
      request: { ...previewRequest, reason, note: note.trim() || undefined, previewVersion: preview.previewVersion, notifyCustomer: true },
      preview,
      idempotencyKey: newIdempotencyKey(),
    });
  }

  function confirm() {
    const c = confirmation;
    if (!c || inFlight.current) return;
    inFlight.current = true;
    submit.mutate(
      { orderId: order.orderId, idempotencyKey: c.idempotencyKey, request: c.request },
      {
        onSuccess: (result) => {
          toast.show(`Cancellation submitted: ${cancellationStatusLabel(result.status)}.`, "success");
          setConfirmation(null);
          setQuantities({});
          void invalidateOrder();
          onSubmitted?.(result);
          router.push(cancellationHref(result.cancellationId));
        },
        onError: (err) => {
          const info = appErrorOf(err);
          const fresh = (info?.details as { preview?: PreviewView } | undefined)?.preview;
          if (info?.code === "STALE_PREVIEW" && fresh) {
            // A new confirmation: new amounts, new version, so a new key.
            setConfirmation({
              ...c,
              request: { ...c.request, previewVersion: fresh.previewVersion },
              preview: fresh,
              idempotencyKey: newIdempotencyKey(),
              previousTotal: c.preview.totals.total,
              error: undefined,
            });
          } else if (info?.code === "QUANTITY_EXCEEDS_CANCELLABLE" || info?.code === "ORDER_NOT_CANCELLABLE") {
            setConfirmation({ ...c, blocked: true, error: `${describeAppError(err)} The order has been reloaded: go back and choose again.` });
          } else {
            setConfirmation({ ...c, error: describeAppError(err) });
          }
          void invalidateOrder();
        },
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  }

  const cancellable = CANCELLABLE_STATUSES.has(order.status) && order.lines.some((l) => l.cancellable > 0);
  return (
    <section aria-labelledby="cancel-heading">
      <h2 id="cancel-heading" className="mb-2 text-lg font-semibold">
        Cancel items
      </h2>
      {!cancellable ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">
          Nothing on this order can be cancelled now: every unit is shipped, released to a warehouse, cancelled or held by a pending cancellation.
        </p>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(20rem,26rem)] lg:items-start">
          <form noValidate onSubmit={review} className="space-y-5 rounded-lg border border-slate-200 bg-white p-4" aria-label="Choose what to cancel">
            <LineSelection order={order} quantityOf={quantityOf} onChange={setQuantities} />
            <div>
              <label htmlFor="cancel-reason" className="text-sm font-semibold">
                Reason
              </label>
              <select
                id="cancel-reason"
                ref={reasonRef}
                required
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                aria-invalid={showErrors && !!reasonError}
                aria-describedby={showErrors && reasonError ? "cancel-reason-error" : undefined}
                className={field}
              >
                <option value="">Choose a reason…</option>
                {reasonCodes.map((r) => (
                  <option key={r.code} value={r.code}>
                    {reasonOptionLabel(r.code, r.requiresNote)}
                  </option>
                ))}
              </select>
              {showErrors && reasonError && (
                <p id="cancel-reason-error" className="mt-1 text-sm text-red-700">
                  {reasonError}
                </p>
              )}
            </div>
            {mayOverride && <OverrideOptions value={override} onChange={setOverride} />}
            {needsNote && (
              <div>
                <label htmlFor="cancel-note" className="text-sm font-semibold">
                  Note <span className="font-normal text-slate-600">(required)</span>
                </label>
                <textarea
                  id="cancel-note"
                  ref={noteRef}
                  required
                  rows={3}
                  maxLength={1000}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  aria-invalid={showErrors && !!noteError}
                  aria-describedby={showErrors && noteError ? "cancel-note-error" : undefined}
                  className={field}
                />
                {showErrors && noteError && (
                  <p id="cancel-note-error" className="mt-1 text-sm text-red-700">
                    {noteError}
                  </p>
                )}
              </div>
            )}
            <fieldset>
              <legend className="text-sm font-semibold">Refund method</legend>
              <div className="mt-2 space-y-2">
                {REFUND_METHODS.map((m) => (
                  <label key={m.value} className="flex cursor-pointer items-start gap-2 text-sm">
                    <input
                      type="radio"
                      name="refund-method"
                      value={m.value}
                      checked={refundMethod === m.value}
                      onChange={() => setRefundMethod(m.value)}
                      className="mt-0.5 h-4 w-4 accent-blue-700"
                    />
                    <span>
                      <span className="font-medium">{m.label}</span>
                      <span className="block text-slate-600">{m.hint}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
              <Button type="submit" disabled={!fresh || !!error}>
                Review cancellation
              </Button>
              {!previewRequest && <span className="text-sm text-slate-600">Choose at least one unit.</span>}
            </div>
          </form>
          <RefundPreview order={order} preview={preview} updating={updating} error={error} hasSelection={previewRequest !== null} />
        </div>
      )}
      <ConfirmCancellationDialog
        order={order}
        confirmation={confirmation}
        busy={submit.isPending}
        onConfirm={confirm}
        onClose={() => setConfirmation(null)}
        onNotifyChange={(notify) => setConfirmation((prev) => prev && { ...prev, request: { ...prev.request, notifyCustomer: notify } })}
      />
    </section>
  );
}
