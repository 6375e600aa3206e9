import { Button } from "../button";
import { lineName, selectableQuantity } from "../cancellations/line-selection";
import { formatMoney } from "../format-money";
import { Stepper } from "../stepper";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import type { OrderLineView, OrderView } from "./types";

/** The quantities being chosen, when the lines can be cancelled: a stepper and "All" per row. */
export interface LineSelectionControls {
  quantityOf: (lineId: string) => number;
  set: (lineId: string, quantity: number) => void;
}

/**
 * One row per line with its counts and, while cancelling, the quantity to cancel: a stepper up to
 * the cancellable units plus those released to the warehouse (marked: the warehouse must stop them,
 * SPEC §11) and "All" for the cancellable units.
 */
export function OrderLinesTable({ order, selection }: { order: OrderView; selection?: LineSelectionControls }) {
  // With the stepper columns the table is wider: narrower cells keep it within the lines' column at 1440 px.
  const pad = selection ? "px-2!" : "";
  return (
    <Table label="Order lines">
      <THead>
        <TR>
          <TH className={pad}>Item</TH>
          <TH numeric className={pad}>Price</TH>
          <TH numeric className={pad}>Ordered</TH>
          <TH numeric className={pad}>Shipped</TH>
          <TH numeric className={pad}>Released</TH>
          <TH numeric className={pad}>Cancelled</TH>
          <TH numeric className={pad}>Held</TH>
          <TH numeric className={pad}>Cancellable</TH>
          {selection && (
            <TH className={pad}>
              Cancel<span className="sr-only"> (quantity)</span>
            </TH>
          )}
          {selection && (
            <TH className={pad}>
              <span className="sr-only">All of a line</span>
            </TH>
          )}
        </TR>
      </THead>
      <TBody>
        {order.lines.map((l) => (
          <TR key={l.lineId} className={selection && selection.quantityOf(l.lineId) > 0 ? "bg-blue-50/60" : ""}>
            <TD className={`min-w-40 ${pad}`}>
              <div className="font-medium">{lineName(l)}</div>
              <div className="text-xs text-slate-600">
                Line {l.lineId} · {l.sku}
              </div>
              {selection && <WarehouseMark line={l} quantity={selection.quantityOf(l.lineId)} />}
            </TD>
            <TD numeric className={`whitespace-nowrap ${pad}`}>
              {formatMoney(l.unitPrice, order.currency)}
            </TD>
            <TD numeric className={pad}>{l.quantity}</TD>
            <TD numeric className={pad}>{l.shipped}</TD>
            <TD numeric className={pad}>{l.released}</TD>
            <TD numeric className={pad}>{l.cancelled}</TD>
            <TD numeric className={pad}>{l.pendingCancel}</TD>
            <TD numeric className={`font-semibold ${pad}`}>
              {l.cancellable}
            </TD>
            {selection && (
              <TD className={pad}>
                <Stepper
                  id={`cancel-qty-${l.lineId}`}
                  label={`Quantity to cancel, ${lineName(l)}`}
                  value={selection.quantityOf(l.lineId)}
                  max={selectableQuantity(l)}
                  unit="can be cancelled"
                  disabled={selectableQuantity(l) === 0}
                  onChange={(n) => selection.set(l.lineId, n)}
                />
              </TD>
            )}
            {selection && (
              <TD className={pad}>
                <Button
                  variant="ghost"
                  className="whitespace-nowrap"
                  disabled={l.cancellable === 0 || selection.quantityOf(l.lineId) === l.cancellable}
                  onClick={() => selection.set(l.lineId, l.cancellable)}
                >
                  All<span className="sr-only"> remaining of {lineName(l)}</span>
                </Button>
              </TD>
            )}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** Units chosen beyond the cancellable ones come from the warehouse, which must stop them (SPEC §11). */
function WarehouseMark({ line, quantity }: { line: OrderLineView; quantity: number }) {
  const n = Math.max(0, quantity - line.cancellable);
  if (n === 0) return null;
  return (
    <p className="mt-1 max-w-72 text-xs text-amber-800" data-testid={`needs-warehouse-${line.lineId}`}>
      <span className="mr-1 rounded bg-amber-100 px-1.5 py-0.5 font-semibold">Needs the warehouse</span>
      {n} of these {n === 1 ? "unit was" : "units were"} already released for picking. We ask the warehouse to stop {n === 1 ? "it" : "them"}; the refund is
      &ldquo;up to&rdquo; until it answers, and any unit it cannot stop will ship.
    </p>
  );
}
