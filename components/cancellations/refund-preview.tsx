import { formatMoney } from "../format-money";
import { describeAllocation } from "../orders/tender-label";
import type { OrderView, PreviewView } from "../orders/types";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { LineRefundExplanation } from "./refund-explanation";

const APPROVERS: Record<string, string> = { store_manager: "a store manager", system_admin: "a system admin" };
// Shown to the requester, whose own limit the total was held against (approvalView's limitRole is the actor's role).
const LIMIT_OF: Record<string, string> = { customer_service_agent: "your", store_manager: "your" };

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
  if (approval.reasons.includes("manager_limit") && approval.managerLimit && approval.managerExcess) {
    out.push(`Needs a system admin: ${money(approval.total)} is also ${money(approval.managerExcess)} over the store manager's ${money(approval.managerLimit)} limit.`);
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

export function PreviewTotals({
  totals,
  currency,
  upTo = false,
  totalTestId = "preview-total",
}: {
  totals: PreviewView["totals"];
  currency: string;
  upTo?: boolean;
  /** On the order page the summary's total is "preview-total"; the breakdown's is another. */
  totalTestId?: string;
}) {
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
        <dt>{upTo ? "Total refund, up to" : "Total refund"}</dt>
        <dd data-testid={totalTestId}>{upTo ? `up to ${money(totals.total)}` : money(totals.total)}</dd>
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

/**
 * The refund per line and its totals, under the lines: the details behind the total that the
 * summary (cancel-summary.tsx) keeps in view with the approval state and where the money goes.
 */
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
    <section aria-labelledby="preview-heading" aria-busy={updating} className="rounded-lg border border-slate-200 bg-white p-4">
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
        <p className="mt-3 text-sm text-slate-700">No preview for this selection: see the summary.</p>
      ) : !preview ? (
        <p className="mt-3 text-sm text-slate-700">Calculating the refund…</p>
      ) : (
        <div className={`mt-3 space-y-4 transition-opacity ${updating ? "opacity-60" : ""}`}>
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
                    <LineRefundExplanation preview={preview} lineId={l.orderLineId} />
                  </TD>
                  <TD numeric>
                    {l.quantity}
                    {l.fromWarehouse > 0 ? <div className="text-xs text-amber-800">{l.fromWarehouse} from the warehouse</div> : null}
                  </TD>
                  <TD numeric>{formatMoney(l.tax, preview.currency)}</TD>
                  <TD numeric className="font-medium">
                    {formatMoney(l.total, preview.currency)}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <PreviewTotals totals={preview.totals} currency={preview.currency} upTo={preview.warehouseConfirmationRequired} totalTestId="breakdown-total" />
        </div>
      )}
    </section>
  );
}
