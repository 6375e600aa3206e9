"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { appErrorOf } from "../app-error";
import { cancellationStatusLabel } from "../badge";
import { OrderLinesTable } from "../orders/order-lines-table";
import type { CancellationRequest, OrderView, PreviewView, SubmitResultView } from "../orders/types";
import { useToast } from "../toast";
import { useTRPC } from "../trpc";
import { CancelSummary } from "./cancel-summary";
import { ConfirmCancellationDialog, type Confirmation } from "./confirm-cancellation-dialog";
import { describeOrderError } from "./describe-order-error";
import { newIdempotencyKey } from "./idempotency-key";
import { LineSelection, selectableQuantity } from "./line-selection";
import { type OverrideChoice, OverrideOptions, overridesFor } from "./override-options";
import { REASONS, reasonOptionLabel, REFUND_METHODS, type RefundMethod } from "./reasons";
import { RefundPreview } from "./refund-preview";
import { readSelection, replaceUrlSelection } from "./url-selection";
import { useRefundPreview } from "./use-refund-preview";

const CANCELLABLE_STATUSES = new Set(["OPEN", "PARTIALLY_CANCELLED", "PARTIALLY_SHIPPED", "SHIPPED"]);
const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
const NOTHING_CHOSEN = "Choose at least one unit to cancel.";

/**
 * The order's lines with a quantity stepper in each row, the refund preview under them and a
 * summary that stays in view (total, approval, where the money goes, reason, method, Review).
 * The selection, reason and method live in the URL, so a refresh or Back keeps them.
 */
export function CancelWorkspace({
  order,
  compact = false,
  cancellationHref = (cancellationId) => `/orders/${order.orderId}/cancellations/${cancellationId}`,
  onSubmitted,
}: {
  order: OrderView;
  /** In the CRM's frame: the summary stands in the flow (the host sizes the frame to its content). */
  compact?: boolean;
  /** Where the submitted cancellation's status is shown (the embed frame has its own route). */
  cancellationHref?: (cancellationId: string) => string;
  onSubmitted?: (result: SubmitResultView) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  // Rendered in the browser only (after the order query), so the URL can seed the state.
  const [fromUrl] = useState(() => (typeof window === "undefined" ? readSelection("") : readSelection(window.location.search)));
  const [quantities, setQuantities] = useState<Record<string, number>>(fromUrl.quantities);
  const [reason, setReason] = useState(fromUrl.reason);
  const [note, setNote] = useState("");
  const [refundMethod, setRefundMethod] = useState<RefundMethod>(fromUrl.refundMethod);
  const [override, setOverride] = useState<OverrideChoice>("none");
  const [showErrors, setShowErrors] = useState(false);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [reviewWanted, setReviewWanted] = useState(false);
  const [reviewHint, setReviewHint] = useState<string | null>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const inFlight = useRef(false);
  const pathAtMount = useRef(typeof window === "undefined" ? "" : window.location.pathname);

  // A refetched order may have fewer cancellable (or released) units than were chosen: never ask for more.
  const quantityOf = (lineId: string) => {
    const line = order.lines.find((l) => l.lineId === lineId);
    return Math.min(quantities[lineId] ?? 0, line ? selectableQuantity(line) : 0);
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

  const reasonKnown = reasonCodes.some((r) => r.code === reason);
  const noteForReason = reasonCodes.some((r) => r.code === reason && r.requiresNote);
  const needsNote = noteForReason || overrides !== undefined;
  const reasonError = !reasonKnown ? "Choose a reason." : null;
  const noteError = needsNote && note.trim() === "" ? (noteForReason ? "Explain the reason in a note." : "Say in a note why you override the refund rules.") : null;

  // The URL follows the choice (replacing its entry: Back leaves the page, not the last keystroke).
  const urlKey = JSON.stringify([chosen.map((l) => [l.lineId, quantityOf(l.lineId)]), reason, refundMethod]);
  useEffect(() => {
    if (window.location.pathname !== pathAtMount.current) return;
    const [pairs, r, m] = JSON.parse(urlKey) as [[string, number][], string, RefundMethod];
    replaceUrlSelection({ quantities: Object.fromEntries(pairs), reason: r, refundMethod: m });
  }, [urlKey]);

  const submit = useMutation(trpc.cancellation.submit.mutationOptions());

  const invalidateOrder = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.order.get.queryKey({ orderId: order.orderId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.cancellation.pathKey() }),
    ]);

  function openConfirmation(forPreview: PreviewView, request: CancellationRequest) {
    setConfirmation({
      request: { ...request, reason, note: note.trim() || undefined, previewVersion: forPreview.previewVersion, notifyCustomer: true },
      preview: forPreview,
      idempotencyKey: newIdempotencyKey(),
      linesAtReview: order.lines,
    });
  }

  // Review pressed while the preview was refreshing: open as soon as the answer for exactly this
  // selection is in (never an older one; the server's STALE_PREVIEW check guards the order's changes).
  // Decided while rendering (React's "adjust state on a change" pattern), not in an effect.
  if (reviewWanted && (!previewRequest || error)) {
    setReviewWanted(false);
  } else if (reviewWanted && fresh && preview && previewRequest) {
    setReviewWanted(false);
    openConfirmation(preview, previewRequest);
  }

  function focusField(ref: { current: HTMLElement | null }) {
    // Centred, so that a phone's summary bar (fixed to the bottom) does not cover it.
    ref.current?.scrollIntoView({ block: "center" });
    ref.current?.focus({ preventScroll: true });
  }

  function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!previewRequest) {
      setReviewHint(NOTHING_CHOSEN);
      focusField({ current: document.getElementById(`cancel-qty-${order.lines.find((l) => selectableQuantity(l) > 0)?.lineId}`) });
      return;
    }
    setReviewHint(null);
    if (reasonError || noteError) {
      setShowErrors(true);
      focusField(reasonError ? reasonRef : noteRef);
      return;
    }
    if (fresh && preview) openConfirmation(preview, previewRequest);
    else setReviewWanted(true);
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
          setReason("");
          // Back from the status page shows the order as it is now, not the submitted choice.
          replaceUrlSelection({ quantities: {}, reason: "", refundMethod: "original" });
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
              stale: { preview: c.preview, lines: c.linesAtReview },
              linesAtReview: order.lines,
              error: undefined,
            });
          } else if (info?.code === "QUANTITY_EXCEEDS_CANCELLABLE" || info?.code === "ORDER_NOT_CANCELLABLE") {
            setConfirmation({ ...c, blocked: true, error: `${describeOrderError(err, order.lines)} The order has been reloaded: go back and choose again.` });
          } else {
            setConfirmation({ ...c, error: describeOrderError(err, order.lines) });
          }
          void invalidateOrder();
        },
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  }

  const cancellable = CANCELLABLE_STATUSES.has(order.status) && order.lines.some((l) => selectableQuantity(l) > 0);
  if (!cancellable) {
    return (
      <section aria-labelledby="lines-heading" className="space-y-2">
        <h2 id="lines-heading" className="text-lg font-semibold">
          Lines
        </h2>
        <OrderLinesTable order={order} />
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">
          Nothing on this order can be cancelled now: every unit is shipped, released to a warehouse, cancelled or held by a pending cancellation.
        </p>
      </section>
    );
  }
  const method = REFUND_METHODS.find((m) => m.value === refundMethod) ?? REFUND_METHODS[0];
  return (
    <section aria-labelledby="lines-heading">
      <form
        noValidate
        onSubmit={review}
        aria-label="Choose what to cancel"
        className={`grid gap-4 ${compact ? "" : "lg:grid-cols-[minmax(0,1fr)_20rem] lg:items-start"}`}
      >
        <div className="min-w-0 space-y-4">
          <LineSelection order={order} quantityOf={quantityOf} onChange={setQuantities} />
          <RefundPreview order={order} preview={preview} updating={updating} error={error} hasSelection={previewRequest !== null} />
        </div>
        <CancelSummary
          order={order}
          preview={preview}
          updating={updating}
          error={error}
          hasSelection={previewRequest !== null}
          compact={compact}
          reviewPending={reviewWanted}
          reviewHint={previewRequest ? null : reviewHint}
        >
          <div>
            <label htmlFor="cancel-reason" className="text-sm font-semibold">
              Reason
            </label>
            <select
              id="cancel-reason"
              ref={reasonRef}
              required
              value={reasonKnown ? reason : ""}
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
                rows={2}
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
          <div>
            <label htmlFor="cancel-refund-method" className="text-sm font-semibold">
              Refund method
            </label>
            <select
              id="cancel-refund-method"
              value={refundMethod}
              onChange={(e) => setRefundMethod(e.target.value as RefundMethod)}
              aria-describedby="cancel-refund-method-hint"
              className={field}
            >
              {REFUND_METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
            <p id="cancel-refund-method-hint" className="mt-1 text-xs text-slate-600">
              {method.hint}
            </p>
          </div>
        </CancelSummary>
      </form>
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
