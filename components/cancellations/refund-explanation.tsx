import { formatMoney } from "../format-money";
import { tenderLabel } from "../orders/tender-label";
import type { OrderView, PreviewView } from "../orders/types";

/*
 * "Why this amount?" (issue 15): the server's explanation (server/domain/explain-refund.ts) in
 * words. Every number shown comes from the preview answer; this file only formats and words them.
 */

type Explanation = PreviewView["explanation"];
type LineExplanationView = Explanation["lines"][number];
type Proration = LineExplanationView["merchandise"];

/** "14.85" → "0.01", "1064" → "1": the smallest unit the amount is rounded to, read off its decimals. */
function smallestUnit(amount: string): string {
  const decimals = amount.split(".")[1]?.length ?? 0;
  return decimals === 0 ? "1" : `0.${"0".repeat(decimals - 1)}1`;
}

function ProrationSentence({ label, step, currency, testId }: { label: string; step: Proration; currency: string; testId: string }) {
  const money = (a: string) => formatMoney(a, currency);
  if (step.rule === "last_units_remainder") {
    return (
      <li data-testid={testId}>
        {label}: these are the line&apos;s last {step.units === 1 ? "unit" : `${step.units} units`}, so {step.units === 1 ? "it takes" : "they take"} exactly what is left,{" "}
        <span className="font-medium">{money(step.result)}</span> (no rounding: the line refunds exactly what was paid).
      </li>
    );
  }
  return (
    <li data-testid={testId}>
      {label}: {money(step.remaining)} × {step.units}/{step.of} ={" "}
      {step.unroundedExact ? (
        <span className="font-medium">{money(step.result)}</span>
      ) : (
        <>
          {step.unrounded}… → <span className="font-medium">{money(step.result)}</span> (rounded half up to {smallestUnit(step.result)})
        </>
      )}
    </li>
  );
}

/** The explanation of one line's refund, folded under "Why this amount?". */
export function LineRefundExplanation({ preview, lineId }: { preview: PreviewView; lineId: string }) {
  const x = preview.explanation.lines.find((l) => l.orderLineId === lineId);
  if (!x) return null;
  const money = (a: string) => formatMoney(a, preview.currency);
  const d = x.orderDiscount;
  return (
    <details className="mt-1 text-xs text-slate-700" data-testid={`explanation-${lineId}`}>
      <summary className="cursor-pointer text-sky-800 underline-offset-2 hover:underline">Why this amount?</summary>
      <ul className="mt-1 list-disc space-y-1 pl-4">
        <li>
          Ordered {x.orderedQuantity} × {money(x.unitPrice)} = {money(x.gross)}
          {/^0+(\.0+)?$/.test(x.lineDiscount) ? "" : `, less the line's own discount of ${money(x.lineDiscount)}`}.
        </li>
        {d ? (
          <li data-testid={`explanation-${lineId}-order-discount`}>
            Order discount{d.codes.length === 1 ? "" : "s"} {d.codes.map((c) => `${c.code} (${money(c.amount)})`).join(" + ")}
            {d.codes.length > 1 ? ` = ${money(d.total)}` : ""}, spread over the lines by their value: {money(d.total)} × {money(d.lineValue)} / {money(d.ordersValue)}{" "}
            {d.unroundedExact ? "=" : `= ${d.unrounded}… →`} <span className="font-medium">{money(d.share)}</span> for this line
            {d.unroundedExact ? "" : " (largest remainder: the lines' shares add up to the whole discount)"}.
          </li>
        ) : null}
        <li>
          Paid for the line: {money(x.net)} plus {money(x.taxCharged)} tax.
          {x.earlier.units > 0
            ? ` Earlier cancellations took ${x.earlier.units} unit${x.earlier.units === 1 ? "" : "s"} (${money(x.earlier.net)} and ${money(x.earlier.tax)} tax); ${money(x.merchandise.remaining)} and ${money(x.tax.remaining)} tax are left for ${x.merchandise.of} unit${x.merchandise.of === 1 ? "" : "s"}.`
            : ""}
        </li>
        <ProrationSentence label="Merchandise" step={x.merchandise} currency={preview.currency} testId={`explanation-${lineId}-merchandise`} />
        <ProrationSentence label="Tax" step={x.tax} currency={preview.currency} testId={`explanation-${lineId}-tax`} />
        {x.noRefund ? <li>Cancelled with no refund (override): these shares are settled without refunding them.</li> : null}
        {x.fromWarehouse > 0 ? (
          <li>
            {x.fromWarehouse} of the units are with the warehouse: they are refunded only if it stops them, so this is the most the line refunds.
          </li>
        ) : null}
        <li data-testid={`explanation-${lineId}-total`}>
          Line refund: {money(x.refund.merchandise)} + {money(x.refund.tax)} tax = <span className="font-medium">{money(x.refund.total)}</span>
          {/^0+(\.0+)?$/.test(x.refund.discount) ? "" : ` (${money(x.refund.subtotal)} at full price, ${money(x.refund.discount)} of it discounted)`}.
        </li>
      </ul>
    </details>
  );
}

const SHIPPING: Record<Explanation["shipping"]["reason"], (s: Explanation["shipping"], money: (a: string) => string) => string> = {
  none_charged: () => "No shipping was charged on this order.",
  already_settled: () => "The shipping was already refunded (or is held) by an earlier cancellation.",
  completes_order: (s, money) =>
    `Shipping ${money(s.shipping)} and its tax ${money(s.shippingTax)} are refunded: this cancellation leaves no unit of the order uncancelled.` +
    (s.dependsOnWarehouse ? " If the warehouse cannot stop every unit, the shipping is not refunded." : ""),
  override: (s, money) => `Shipping ${money(s.shipping)} and its tax ${money(s.shippingTax)} are refunded by override; the shipping policy would not refund them here.`,
  no_refund_override: (s, money) => `The shipping (${money(s.due)} and ${money(s.taxDue)} tax) is settled without refund: cancelled with no refund (override).`,
  policy_never: (s, money) => `Shipping (${money(s.due)}) is not refunded: the store's shipping policy never refunds it.`,
  units_shipped: (s, money) => `Shipping (${money(s.due)}) is not refunded: ${s.shippedUnits} unit${s.shippedUnits === 1 ? " has" : "s have"} already shipped.`,
  held_elsewhere: (s, money) =>
    `Shipping (${money(s.due)}) is not refunded now: another cancellation still holds ${s.heldElsewhere} unit${s.heldElsewhere === 1 ? "" : "s"}. When the order is fully cancelled, the shipping is added then.`,
  units_left: (s, money) =>
    `Shipping (${money(s.due)}) is refunded only with the cancellation that leaves no unit uncancelled; ${s.unitsLeft} unit${s.unitsLeft === 1 ? " stays" : "s stay"} on the order.`,
};

function tenderSentence(t: Explanation["tenders"][number], on: string, money: (a: string) => string): string {
  switch (t.reason) {
    case "uncaptured_authorization":
      return `${on}: reversal of ${money(t.amount)}. The money was only authorized (${money(t.authorized)} authorized, ${money(t.captured)} charged), so the hold is released; nothing is refunded because nothing was charged. Up to ${money(t.reversible)} could be released.`;
    case "captured_refund":
      return `${on}: refund of ${money(t.amount)}. This money was charged, so it is refunded (up to ${money(t.refundable)} could be). Reversals come first; refunds go to cards and PayPal, then gift cards, then store credit.`;
    case "store_credit":
      return `${on}: ${money(t.amount)} of charged money is issued as new store credit (refund method: store credit).`;
    case "manual_task":
      return `${on}: ${money(t.amount)} of charged money is refunded by a person (refund method: manual); no payment provider is called.`;
  }
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Why shipping is or is not refunded, and why each tender is a reversal or a refund. */
export function MoneyExplanation({ preview, order }: { preview: PreviewView; order: OrderView }) {
  const x = preview.explanation;
  const money = (a: string) => formatMoney(a, preview.currency);
  return (
    <details className="text-xs text-slate-700" data-testid="explanation-money">
      <summary className="cursor-pointer text-sky-800 underline-offset-2 hover:underline">Why shipping and these payments?</summary>
      <ul className="mt-1 list-disc space-y-1 pl-4">
        <li data-testid="explanation-shipping">{SHIPPING[x.shipping.reason](x.shipping, money)}</li>
        {x.tenders.map((t, i) => {
          const tender = order.tenders.find((o) => o.tenderId === t.tenderId);
          return (
            <li key={`${t.tenderId}-${t.operation}-${i}`} data-testid="explanation-tender">
              {tenderSentence(t, capitalised(tender ? tenderLabel(tender) : `payment ${t.tenderId}`), money)}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
