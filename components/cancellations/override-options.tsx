"use client";

import { formatMoney } from "../format-money";
import type { PreviewView } from "../orders/types";

export type OverrideChoice = "none" | "refundShipping" | "noRefund";

/** The request's `overrides` for a choice (SPEC §5); undefined asks for none. */
export function overridesFor(choice: OverrideChoice): { refundShipping?: boolean; noRefund?: boolean } | undefined {
  return choice === "none" ? undefined : { [choice]: true };
}

/**
 * The two overrides a store manager or admin may use (override_cancellation_rules). They exclude
 * each other: ticking one clears the other. The effect is computed by the server and shown in
 * the preview; this only asks for it.
 */
export function OverrideOptions({ value, onChange }: { value: OverrideChoice; onChange: (choice: OverrideChoice) => void }) {
  const options: { choice: Exclude<OverrideChoice, "none">; label: string; hint: string }[] = [
    { choice: "refundShipping", label: "Refund shipping", hint: "Refund the order's shipping although the shipping policy would not refund it with this cancellation." },
    { choice: "noRefund", label: "Cancel with no refund", hint: "An exchange arranged with the customer: the units are cancelled and released, nothing is refunded." },
  ];
  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">Overrides (managers)</legend>
      <p className="text-xs text-slate-600">An override needs a note saying why; it is audited and shown on the timeline.</p>
      <div className="mt-2 space-y-2">
        {options.map((o) => (
          <label key={o.choice} className="flex cursor-pointer items-start gap-2 text-sm">
            <input
              type="checkbox"
              name={`override-${o.choice}`}
              checked={value === o.choice}
              onChange={(e) => onChange(e.target.checked ? o.choice : "none")}
              className="mt-0.5 h-4 w-4 accent-blue-700"
            />
            <span>
              <span className="font-medium">{o.label}</span>
              <span className="block text-slate-600">{o.hint}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** What the overrides do to this refund, in the server's numbers. */
export function OverrideNotice({ overrides, currency }: { overrides: PreviewView["overrides"]; currency: string }) {
  if (!overrides) return null;
  const money = (a: string) => formatMoney(a, currency);
  const text = overrides.noRefund
    ? `No refund: ${money(overrides.notRefunded)} stays with the merchant (an exchange). The units are cancelled and released; no payment is touched.`
    : /^0+(\.0+)?$/.test(overrides.shippingAdded)
      ? "Refund shipping: the shipping policy refunds the shipping with this cancellation anyway."
      : `Refund shipping: ${money(overrides.shippingAdded)} of shipping is refunded, which the shipping policy would not refund here.`;
  return (
    <div role="note" data-testid="override-notice" className="rounded-md border border-violet-300 bg-violet-50 p-3 text-sm text-violet-950">
      <p className="font-semibold">Override</p>
      <p className="mt-1">{text}</p>
    </div>
  );
}
