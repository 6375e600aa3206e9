"use client";

import { useRef } from "react";
import { Button } from "../button";
import { Dialog } from "../dialog";
import { formatMoney } from "../format-money";
import type { CancellationRequest, OrderLineView, OrderView, PreviewView } from "../orders/types";
import { CustomerEmailChoice } from "./customer-email-preview";
import { lineName } from "./line-selection";
import { reasonLabel, refundMethodLabel } from "./reasons";
import { OverrideNotice } from "./override-options";
import { AllocationList, ApprovalNotice } from "./refund-preview";
import { type StaleSnapshot, StalePreviewNotice } from "./stale-preview-notice";

export interface Confirmation {
  request: CancellationRequest & { previewVersion: number };
  preview: PreviewView;
  /** Generated once per confirmation: a double click or a retry after a network error reuses it. */
  idempotencyKey: string;
  /** The order's lines when the agent pressed Review (to say what changed if the preview goes stale). */
  linesAtReview: OrderLineView[];
  /** Set when the server answered STALE_PREVIEW: what the agent had seen before. */
  stale?: StaleSnapshot;
  error?: string;
  /** The error leaves nothing to confirm (e.g. the units were taken meanwhile). */
  blocked?: boolean;
}

export function ConfirmCancellationDialog({
  order,
  confirmation,
  busy,
  onConfirm,
  onClose,
  onNotifyChange,
}: {
  order: OrderView;
  confirmation: Confirmation | null;
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
  onNotifyChange: (notify: boolean) => void;
}) {
  const c = confirmation;
  // The safe choice has the focus first, ahead of the email choice above it.
  const goBack = useRef<HTMLButtonElement>(null);
  const money = (a: string) => formatMoney(a, order.currency);
  return (
    <Dialog
      open={c !== null}
      onClose={onClose}
      dismissible={!busy}
      initialFocusRef={goBack}
      title="Confirm cancellation"
      description={
        c
          ? c.preview.warehouseConfirmationRequired
            ? `Refund up to ${money(c.preview.totals.total)} to the customer, for the units the warehouse can still stop. Read the amounts to them before you confirm.`
            : `Refund ${money(c.preview.totals.total)} to the customer. Read the amounts to them before you confirm.`
          : undefined
      }
    >
      {c && (
        <div className="space-y-4 text-sm">
          {c.stale && <StalePreviewNotice before={c.stale} preview={c.preview} lines={order.lines} />}
          <div>
            <h3 className="font-semibold">Items</h3>
            <ul className="mt-1 space-y-1">
              {c.preview.lines.map((l) => {
                const line = order.lines.find((x) => x.lineId === l.orderLineId);
                return (
                  <li key={l.orderLineId} className="flex justify-between gap-3 tabular-nums">
                    <span>
                      {l.quantity} × {line ? lineName(line) : `line ${l.orderLineId}`}
                    </span>
                    <span>{money(l.total)}</span>
                  </li>
                );
              })}
            </ul>
          </div>
          <div className="flex items-baseline justify-between gap-3 rounded-md bg-slate-100 p-3">
            <span className="font-semibold">{c.preview.warehouseConfirmationRequired ? "Total refund, up to" : "Total refund"}</span>
            <span data-testid="confirm-total" className="text-xl font-semibold tabular-nums">
              {c.preview.warehouseConfirmationRequired ? `up to ${money(c.preview.totals.total)}` : money(c.preview.totals.total)}
            </span>
          </div>
          <div>
            <h3 className="mb-1 font-semibold">Where the money goes</h3>
            <AllocationList allocation={c.preview.allocation} order={order} currency={order.currency} />
          </div>
          <OverrideNotice overrides={c.preview.overrides} currency={order.currency} />
          {c.preview.approvalRequired && <ApprovalNotice approval={c.preview.approval} />}
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            <dt className="text-slate-600">Reason</dt>
            <dd>{reasonLabel(c.request.reason)}</dd>
            {c.request.note && (
              <>
                <dt className="text-slate-600">Note</dt>
                <dd className="break-words">{c.request.note}</dd>
              </>
            )}
            <dt className="text-slate-600">Refund method</dt>
            <dd>{refundMethodLabel(c.request.refundMethod)}</dd>
          </dl>
          <CustomerEmailChoice
            orderId={order.orderId}
            request={c.request}
            notify={c.request.notifyCustomer !== false}
            // After an attempt the request is fixed: a retry must send the same body under the same key.
            disabled={busy || !!c.error}
            onChange={onNotifyChange}
          />
          {c.error && (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900">
              {c.error}
            </p>
          )}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button ref={goBack} variant="secondary" onClick={onClose} disabled={busy}>
              Go back
            </Button>
            <Button variant="danger" onClick={onConfirm} disabled={busy || c.blocked} aria-disabled={busy || c.blocked}>
              {busy ? "Submitting…" : "Confirm cancellation"}
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
