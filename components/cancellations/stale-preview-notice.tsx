import { formatMoney } from "../format-money";
import type { OrderLineView, PreviewView } from "../orders/types";
import { lineName } from "./line-selection";

/** What the agent saw when they pressed Review, kept to say what changed if the server answers STALE_PREVIEW. */
export interface StaleSnapshot {
  preview: PreviewView;
  lines: OrderLineView[];
}

const COUNTS: { key: "cancelled" | "pendingCancel" | "shipped" | "released"; label: string }[] = [
  { key: "cancelled", label: "cancelled" },
  { key: "pendingCancel", label: "held by a pending cancellation" },
  { key: "shipped", label: "shipped" },
  { key: "released", label: "released to the warehouse" },
];

/**
 * The order changed between the preview and the submit (SPEC §7's previewVersion): the old and the
 * new refund, and what changed, from the order's lines as they were and as they are now and from the
 * two previews. It does not guess who changed it (another tab of the same agent is as likely as a
 * colleague or a channel).
 */
export function whatChanged(before: StaleSnapshot, now: { preview: PreviewView; lines: OrderLineView[] }): string[] {
  const money = (a: string) => formatMoney(a, now.preview.currency);
  const out: string[] = [];
  for (const line of now.lines) {
    const old = before.lines.find((l) => l.lineId === line.lineId);
    if (!old) continue;
    for (const { key, label } of COUNTS) {
      if (old[key] !== line[key]) out.push(`${lineName(line)}: ${label} ${old[key]} → ${line[key]}.`);
    }
  }
  for (const l of now.preview.lines) {
    const old = before.preview.lines.find((x) => x.orderLineId === l.orderLineId);
    const line = now.lines.find((x) => x.lineId === l.orderLineId);
    if (old && old.total !== l.total) out.push(`Refund for ${line ? lineName(line) : "this item"}: ${money(old.total)} → ${money(l.total)}.`);
  }
  const shippingBefore = before.preview.totals.shipping;
  const shippingNow = now.preview.totals.shipping;
  if (shippingBefore !== shippingNow || before.preview.totals.shippingTax !== now.preview.totals.shippingTax) {
    out.push(
      `Shipping refunded: ${money(shippingBefore)} → ${money(shippingNow)}${/^0+(\.0+)?$/.test(shippingBefore) ? " (these are now the order's last units)" : ""}.`,
    );
  }
  if (before.preview.approvalRequired !== now.preview.approvalRequired) {
    out.push(now.preview.approvalRequired ? "It now needs approval." : "It no longer needs approval.");
  }
  if (JSON.stringify(before.preview.allocation) !== JSON.stringify(now.preview.allocation)) out.push("Where the money goes changed: see below.");
  return out;
}

export function StalePreviewNotice({ before, preview, lines }: { before: StaleSnapshot; preview: PreviewView; lines: OrderLineView[] }) {
  const money = (a: string) => formatMoney(a, preview.currency);
  const changes = whatChanged(before, { preview, lines });
  const oldTotal = before.preview.totals.total;
  const newTotal = preview.totals.total;
  return (
    <div role="alert" data-testid="stale-preview" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
      <p className="font-semibold">The order changed since your preview</p>
      <p className="mt-1">
        {oldTotal === newTotal ? (
          <>
            The refund is still <span data-testid="stale-new-total">{money(newTotal)}</span> (it was {money(oldTotal)} too): the amounts did not change.
          </>
        ) : (
          <>
            The refund is now <span data-testid="stale-new-total">{money(newTotal)}</span> (it was <span data-testid="stale-old-total">{money(oldTotal)}</span>).
          </>
        )}
      </p>
      {changes.length > 0 ? (
        <ul aria-label="What changed" className="mt-1 list-disc pl-5">
          {changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : (
        <p className="mt-1">
          The order was updated after your preview (version {before.preview.previewVersion} → {preview.previewVersion}); the lines you chose and their amounts are the same.
        </p>
      )}
      <p className="mt-1">Check the amounts below and confirm again.</p>
    </div>
  );
}
