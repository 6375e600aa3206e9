import { formatMoney } from "../format-money";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import type { OrderView } from "./types";

export function OrderLinesTable({ order }: { order: OrderView }) {
  return (
    <Table label="Order lines">
      <THead>
        <TR>
          <TH>Item</TH>
          <TH numeric>Unit price</TH>
          <TH numeric>Ordered</TH>
          <TH numeric>Shipped</TH>
          <TH numeric>Released</TH>
          <TH numeric>Cancelled</TH>
          <TH numeric>Pending</TH>
          <TH numeric>Cancellable</TH>
        </TR>
      </THead>
      <TBody>
        {order.lines.map((l) => (
          <TR key={l.lineId}>
            <TD className="min-w-40">
              <div className="font-medium">{l.description || l.sku}</div>
              <div className="text-xs text-slate-600">
                Line {l.lineId} · {l.sku}
              </div>
            </TD>
            <TD numeric className="whitespace-nowrap">
              {formatMoney(l.unitPrice, order.currency)}
            </TD>
            <TD numeric>{l.quantity}</TD>
            <TD numeric>{l.shipped}</TD>
            <TD numeric>{l.released}</TD>
            <TD numeric>{l.cancelled}</TD>
            <TD numeric>{l.pendingCancel}</TD>
            <TD numeric className="font-semibold">
              {l.cancellable}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
