import { REFUND_METHODS, type RefundMethod } from "./reasons";

/** What the agent chose on the order page, kept in its URL so that a refresh or Back keeps it. */
export interface UrlSelection {
  quantities: Record<string, number>;
  reason: string;
  refundMethod: RefundMethod;
}

const QTY = "qty.";

/**
 * `?qty.A=2&qty.B=1&reason=CUSTOMER_REQUEST&method=store_credit`: one parameter per line (a line id
 * may hold any character; URLSearchParams encodes it). Lenient: anything malformed is dropped, and
 * the screen still caps every quantity at what the line allows.
 */
export function readSelection(search: string): UrlSelection {
  const params = new URLSearchParams(search);
  const quantities: Record<string, number> = {};
  for (const [key, value] of params) {
    if (!key.startsWith(QTY) || key.length === QTY.length || !/^\d{1,6}$/.test(value)) continue;
    const n = Number(value);
    if (n > 0) quantities[key.slice(QTY.length)] = n;
  }
  const method = params.get("method");
  return {
    quantities,
    reason: (params.get("reason") ?? "").slice(0, 100),
    refundMethod: REFUND_METHODS.some((m) => m.value === method) ? (method as RefundMethod) : "original",
  };
}

/** The query string for `selection`, keeping any other parameter of `search` as it was. */
export function writeSelection(search: string, selection: UrlSelection): string {
  const params = new URLSearchParams(search);
  for (const key of [...params.keys()]) if (key.startsWith(QTY)) params.delete(key);
  params.delete("reason");
  params.delete("method");
  for (const [lineId, n] of Object.entries(selection.quantities)) if (n > 0) params.set(`${QTY}${lineId}`, String(n));
  if (selection.reason) params.set("reason", selection.reason);
  if (selection.refundMethod !== "original") params.set("method", selection.refundMethod);
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** Replaces the current history entry's query (no new entry per keystroke; Next keeps its router state). */
export function replaceUrlSelection(selection: UrlSelection) {
  if (typeof window === "undefined") return;
  const query = writeSelection(window.location.search, selection);
  if (query === window.location.search) return;
  window.history.replaceState(null, "", `${window.location.pathname}${query}${window.location.hash}`);
}
