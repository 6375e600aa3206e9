import { tenderName } from "@/server/domain/words";
import { formatMoney } from "../format-money";

export interface TenderLike {
  method: string;
  provider?: string;
  brand?: string | null;
  last4?: string | null;
  providerReference?: string | null;
}

/** "Visa •••• 4242", "PayPal", "gift card GC-1234", "store credit" (server/domain/words.ts, the one formatter). */
export function tenderLabel(t: TenderLike): string {
  return tenderName(t);
}

/** One allocation entry in words: "Reverse $194.85 on Visa •••• 4242". */
export function describeAllocation(
  entry: { tenderId: string; operation: string; amount: string },
  currency: string,
  tenders: readonly (TenderLike & { tenderId: string })[],
): string {
  const amount = formatMoney(entry.amount, currency);
  const tender = tenders.find((t) => t.tenderId === entry.tenderId);
  const on = tender ? tenderLabel(tender) : `tender ${entry.tenderId}`;
  switch (entry.operation) {
    case "reversal":
      return `Reverse ${amount} on ${on}`;
    case "refund":
      return `Refund ${amount} to ${on}`;
    case "store_credit":
      return `Issue ${amount} as store credit (from ${on})`;
    case "manual":
      return `Manual refund of ${amount} for ${on}`;
    default:
      return `${entry.operation} ${amount} on ${on}`;
  }
}
