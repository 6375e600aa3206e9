"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "../button";
import { formatMoney } from "../format-money";
import type { OrderView, PreviewView } from "../orders/types";
import { describeOrderError } from "./describe-order-error";
import { OverrideNotice } from "./override-options";
import { MoneyExplanation } from "./refund-explanation";
import { AllocationList, ApprovalNotice } from "./refund-preview";

/**
 * What the agent needs while choosing (issue 15, one screen): the total refund, the approval state,
 * where the money goes, the reason and method, and Review. On a wide screen it sits beside the lines
 * and sticks in view. On a phone it follows the lines, and a bar fixed to the bottom of the screen
 * keeps the total, the approval state and Review always at hand ("Details" goes to the summary). In
 * the CRM's frame, which the host sizes to its content so nothing can stick, it stands in the flow.
 */
export function CancelSummary({
  order,
  preview,
  updating,
  error,
  hasSelection,
  compact,
  reviewPending,
  reviewHint,
  children,
}: {
  order: OrderView;
  preview: PreviewView | undefined;
  updating: boolean;
  error: unknown;
  hasSelection: boolean;
  compact: boolean;
  /** Review was pressed while the preview was refreshing: the dialog opens with the fresh one. */
  reviewPending: boolean;
  reviewHint: string | null;
  /** The reason, note, overrides and refund method fields. */
  children: ReactNode;
}) {
  const id = useId();
  const bar = useRef<HTMLDivElement>(null);
  // Keyboard focus never lands behind the phone's bar: once the browser has scrolled the focused
  // field into view, lift it above the bar if the bar covers it (scroll-padding in globals.css does
  // the same where the browser honours it).
  useEffect(() => {
    if (compact) return;
    const onFocus = (event: FocusEvent) => {
      const target = event.target;
      requestAnimationFrame(() => {
        const el = bar.current;
        if (!el || !(target instanceof HTMLElement) || el.contains(target) || target.closest("dialog") || getComputedStyle(el).display === "none") return;
        const covered = target.getBoundingClientRect().bottom - el.getBoundingClientRect().top;
        if (covered > -8) window.scrollBy({ top: covered + 16 });
      });
    };
    document.addEventListener("focusin", onFocus);
    return () => document.removeEventListener("focusin", onFocus);
  }, [compact]);
  const money = (a: string) => formatMoney(a, order.currency);
  const upTo = preview?.warehouseConfirmationRequired ?? false;
  const total = !hasSelection ? "—" : preview ? (upTo ? `up to ${money(preview.totals.total)}` : money(preview.totals.total)) : "…";
  const needsApproval = hasSelection && !error && preview?.approvalRequired === true;
  const hint = reviewPending ? "Waiting for the updated refund…" : reviewHint;
  const totalClass = `font-semibold tabular-nums ${updating ? "text-slate-500" : ""}`;
  // The aside's own Review is the phone bar's on a narrow screen (one Review in the accessibility tree at a time).
  const reviewButton = (where: string, className: string) => (
    <div className={`flex flex-wrap items-center gap-x-3 gap-y-1 ${className}`}>
      <Button type="submit" aria-describedby={hint ? `${id}-${where}-hint` : undefined}>
        Review cancellation
      </Button>
      {hint && (
        <span id={`${id}-${where}-hint`} role="status" className="text-sm text-slate-700">
          {hint}
        </span>
      )}
    </div>
  );
  return (
    <>
      <aside
        id={`${id}-summary`}
        aria-labelledby={`${id}-heading`}
        aria-busy={updating}
        data-testid="cancel-summary"
        className={`flex flex-col rounded-lg border border-slate-200 bg-white ${compact ? "" : "scroll-mt-4 lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)]"}`}
      >
        <div className="border-b border-slate-100 px-4 py-3">
          <h2 id={`${id}-heading`} tabIndex={-1} className="text-sm font-semibold text-slate-700">
            {upTo ? "Total refund, up to" : "Total refund"}
          </h2>
          <p className="flex items-baseline gap-2">
            <span data-testid="preview-total" className={`text-2xl ${totalClass}`}>
              {total}
            </span>
            <span aria-live="polite" className="text-xs text-slate-600">
              {updating ? "Updating…" : ""}
            </span>
          </p>
        </div>
        <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-4 py-3">
          {!hasSelection ? (
            <p className="text-sm text-slate-700">Choose quantities in the lines to see what the customer gets back.</p>
          ) : error ? (
            <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
              <p className="font-semibold">No preview for this selection</p>
              <p className="mt-1">{describeOrderError(error, order.lines)}</p>
            </div>
          ) : !preview ? (
            <p className="text-sm text-slate-700">Calculating the refund…</p>
          ) : (
            <div className={`space-y-3 transition-opacity ${updating ? "opacity-60" : ""}`}>
              {preview.approvalRequired ? (
                <ApprovalNotice approval={preview.approval} />
              ) : (
                <p className="text-sm text-emerald-800" data-testid="approval-state">
                  No approval needed: it is processed when you confirm.
                </p>
              )}
              <OverrideNotice overrides={preview.overrides} currency={preview.currency} />
              {preview.warehouseConfirmationRequired ? (
                <p className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="preview-warehouse">
                  Needs the warehouse: some units were already released for picking. The refund is up to {money(preview.totals.total)}; it is settled for the
                  units the warehouse stops, and units it cannot stop will ship.
                </p>
              ) : null}
              <div>
                <h3 className="mb-1 text-sm font-semibold">Where the money goes</h3>
                <AllocationList allocation={preview.allocation} order={order} currency={preview.currency} />
                <MoneyExplanation preview={preview} order={order} />
              </div>
            </div>
          )}
          <div className="space-y-3 border-t border-slate-100 pt-3">{children}</div>
        </div>
        {reviewButton("aside", `border-t border-slate-100 px-4 py-3 ${compact ? "" : "hidden lg:flex"}`)}
      </aside>
      {!compact && (
        <div
          ref={bar}
          data-testid="summary-bar"
          data-summary-bar=""
          className="fixed inset-x-0 bottom-0 z-30 flex flex-wrap items-center justify-between gap-x-3 gap-y-2 border-t border-slate-200 bg-white px-4 py-3 shadow-[0_-4px_16px_rgba(15,23,42,0.12)] lg:hidden"
        >
          <div className="min-w-0">
            <p className="text-xs font-semibold text-slate-700">{upTo ? "Total refund, up to" : "Total refund"}</p>
            <p className="flex items-baseline gap-2">
              <span data-testid="bar-total" className={`text-lg ${totalClass}`}>
                {total}
              </span>
              {needsApproval && (
                <span className="text-xs font-semibold text-amber-900" data-testid="approval-chip">
                  Needs approval
                </span>
              )}
            </p>
          </div>
          <div className="flex items-center gap-2">
            <Button
              variant="ghost"
              aria-controls={`${id}-summary`}
              onClick={() => {
                const summary = document.getElementById(`${id}-summary`);
                summary?.scrollIntoView({ block: "start" });
                summary?.querySelector<HTMLElement>("h2")?.focus();
              }}
            >
              Details
            </Button>
            {reviewButton("bar", "")}
          </div>
        </div>
      )}
    </>
  );
}
