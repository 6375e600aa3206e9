import { describeAppError } from "../app-error";
import { formatMoney } from "../format-money";
import { describeAllocation } from "../orders/tender-label";
import type { OrderView, PreviewView } from "../orders/types";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { OverrideNotice } from "./override-options";

const APPROVERS: Record<string, string> = { store_manager: "a store manager", system_admin: "a system admin" };
const LIMIT_OF: Record<string, string> = { customer_service_agent: "the agent's", store_manager: "the store manager's" };

/** The approval gate in advance, with the server's numbers: the limit, the excess, the velocity counters. */
export function approvalSentences(approval: PreviewView["approval"]): string[] {
  const money = (a: string) => formatMoney(a, approval.currency);
  const who = APPROVERS[approval.approverRole ?? "store_manager"] ?? "a manager";
  const out: string[] = [];
  if (approval.reasons.includes("limit")) {
    out.push(
      approval.limit && approval.excess
        ? `Needs ${who}: ${money(approval.total)} is ${money(approval.excess)} over ${LIMIT_OF[approval.limitRole ?? ""] ?? "the"} ${money(approval.limit)} limit.`
        : `Needs ${who}: no limit is configured for ${approval.currency}, so every such cancellation is approved.`,
    );
  }
  const v = approval.velocity;
  if (approval.reasons.includes("velocity") && v) {
    const facts: string[] = [];
    if (v.tooManyOtherOrders) {
      facts.push(`this customer had cancellations on ${v.otherOrdersWithCancellations24h} other order${v.otherOrdersWithCancellations24h === 1 ? "" : "s"} in the last 24 hours (approval from ${v.otherOrdersThreshold})`);
    }
    if (v.refundedTooMuch) {
      facts.push(`${money(v.refunded7d)} was returned to this customer in the last 7 days (approval from ${money(v.refundedThreshold ?? "0")})`);
    }
    out.push(`Velocity${approval.reasons.includes("limit") ? "" : ` (needs ${who})`}: ${facts.join("; ") || "the customer's recent cancellations"}.`);
  }
  return out;
}

export function ApprovalNotice({ approval }: { approval: PreviewView["approval"] }) {
  return (
    <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
      <p className="font-semibold">Approval required</p>
      {approvalSentences(approval).map((line) => (
        <p key={line} data-testid="approval-reason" className="mt-1">
          {line}
        </p>
      ))}
      <p className="mt-1">No money moves before the approval. You can still submit it; it will wait in the approval queue.</p>
    </div>
  );
}

export function PreviewTotals({ totals, currency }: { totals: PreviewView["totals"]; currency: string }) {
  const money = (a: string) => formatMoney(a, currency);
  const row = "flex justify-between gap-4 py-1";
  return (
    <dl className="text-sm tabular-nums">
      <div className={row}>
        <dt>Subtotal</dt>
        <dd data-testid="preview-subtotal">{money(totals.subtotal)}</dd>
      </div>
      <div className={row}>
        <dt>Discount</dt>
        <dd data-testid="preview-discount">{/^0+(\.0+)?$/.test(totals.discount) ? "" : "−"}{money(totals.discount)}</dd>
      </div>
      <div className={row}>
        <dt>Tax</dt>
        <dd data-testid="preview-tax">{money(totals.tax)}</dd>
      </div>
      <div className={row}>
        <dt>Shipping</dt>
        <dd data-testid="preview-shipping">{money(totals.shipping)}</dd>
      </div>
      <div className={row}>
        <dt>Shipping tax</dt>
        <dd data-testid="preview-shipping-tax">{money(totals.shippingTax)}</dd>
      </div>
      <div className={`${row} mt-1 border-t border-slate-200 pt-2 text-base font-semibold`}>
        <dt>Total refund</dt>
        <dd data-testid="preview-total">{money(totals.total)}</dd>
      </div>
    </dl>
  );
}

export function AllocationList({ allocation, order, currency }: { allocation: PreviewView["allocation"]; order: OrderView; currency: string }) {
  if (allocation.length === 0) return <p className="text-sm text-slate-700">No money moves.</p>;
  return (
    <ul className="space-y-1 text-sm" aria-label="Where the money goes">
      {allocation.map((a, i) => (
        <li key={`${a.tenderId}-${a.operation}-${i}`} className="flex gap-2">
          <span aria-hidden="true" className="text-slate-500">
            →
          </span>
          <span>{describeAllocation(a, currency, order.tenders)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The live refund preview beside the selection. */
export function RefundPreview({
  order,
  preview,
  updating,
  error,
  hasSelection,
}: {
  order: OrderView;
  preview: PreviewView | undefined;
  updating: boolean;
  error: unknown;
  hasSelection: boolean;
}) {
  const lineName = (id: string) => {
    const line = order.lines.find((l) => l.lineId === id);
    return line ? line.description || line.sku : `Line ${id}`;
  };
  return (
    <section aria-labelledby="preview-heading" aria-busy={updating} className="rounded-lg border border-slate-200 bg-white p-4 lg:sticky lg:top-4">
      <div className="flex items-baseline justify-between gap-2">
        <h3 id="preview-heading" className="text-base font-semibold">
          Refund preview
        </h3>
        <span aria-live="polite" className="text-xs text-slate-600">
          {updating ? "Updating…" : ""}
        </span>
      </div>
      {!hasSelection ? (
        <p className="mt-3 text-sm text-slate-700">Choose quantities to see what the customer gets back.</p>
      ) : error ? (
        <div role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-semibold">No preview for this selection</p>
          <p className="mt-1">{describeAppError(error)}</p>
        </div>
      ) : !preview ? (
        <p className="mt-3 text-sm text-slate-700">Calculating the refund…</p>
      ) : (
        <div className={`mt-3 space-y-4 transition-opacity ${updating ? "opacity-60" : ""}`}>
          {preview.approvalRequired && <ApprovalNotice approval={preview.approval} />}
          <OverrideNotice overrides={preview.overrides} currency={preview.currency} />
          <Table label="Refund per line">
            <THead>
              <TR>
                <TH>Item</TH>
                <TH numeric>Qty</TH>
                <TH numeric>Tax</TH>
                <TH numeric>Total</TH>
              </TR>
            </THead>
            <TBody>
              {preview.lines.map((l) => (
                <TR key={l.orderLineId}>
                  <TD>
                    <div>{lineName(l.orderLineId)}</div>
                    <div className="text-xs text-slate-600">
                      {formatMoney(l.subtotal, preview.currency)} − {formatMoney(l.discount, preview.currency)} discount
                    </div>
                  </TD>
                  <TD numeric>{l.quantity}</TD>
                  <TD numeric>{formatMoney(l.tax, preview.currency)}</TD>
                  <TD numeric className="font-medium">
                    {formatMoney(l.total, preview.currency)}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <PreviewTotals totals={preview.totals} currency={preview.currency} />
          <div>
            <h4 className="mb-1 text-sm font-semibold">Where the money goes</h4>
            <AllocationList allocation={preview.allocation} order={order} currency={preview.currency} />
          </div>
        </div>
      )}
    </section>
  );
}
