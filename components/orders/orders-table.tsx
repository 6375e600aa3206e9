import Link from "next/link";
import { Badge, OrderStatusBadge } from "../badge";
import { formatMoney } from "../format-money";
import { LocalTime } from "../local-time";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import type { OrderSort, SortDirection } from "./search-params";
import type { OrderSearchRow } from "./types";

interface SortState {
  sort: OrderSort;
  dir: SortDirection;
}

// A column first sorted shows its most useful end: newest, largest; names from A.
const FIRST_DIRECTION: Record<OrderSort, SortDirection> = { placed: "desc", total: "desc", external_id: "asc", customer: "asc", store: "asc", status: "asc" };

function SortHeader({ column, label, state, hrefFor, numeric, className }: { column: OrderSort; label: string; state: SortState; hrefFor: (s: SortState) => string; numeric?: boolean; className?: string }) {
  const active = state.sort === column;
  const next: SortState = { sort: column, dir: active ? (state.dir === "asc" ? "desc" : "asc") : FIRST_DIRECTION[column] };
  return (
    <TH numeric={numeric} className={className} aria-sort={active ? (state.dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link scroll={false} href={hrefFor(next)} className="inline-flex items-center gap-1 rounded hover:text-slate-900 hover:underline">
        {label}
        <span aria-hidden="true">{active ? (state.dir === "asc" ? "▲" : "▼") : "↕"}</span>
        <span className="sr-only">, sort {next.dir === "asc" ? "ascending" : "descending"}</span>
      </Link>
    </TH>
  );
}

export function OrdersTable({ orders, exactMatchId = null, sort, hrefFor }: { orders: OrderSearchRow[]; exactMatchId?: string | null; sort?: SortState; hrefFor?: (s: SortState) => string }) {
  const header = (column: OrderSort, label: string, opts: { numeric?: boolean; className?: string } = {}) =>
    sort && hrefFor ? (
      <SortHeader column={column} label={label} state={sort} hrefFor={hrefFor} {...opts} />
    ) : (
      <TH numeric={opts.numeric} className={opts.className}>
        {label}
      </TH>
    );
  return (
    <Table label="Orders found">
      <THead>
        <TR>
          {header("external_id", "Order")}
          {header("customer", "Customer")}
          {header("store", "Store", { className: "hidden md:table-cell" })}
          <TH className="hidden md:table-cell">Channel</TH>
          {header("status", "Status")}
          {header("total", "Total", { numeric: true })}
          {header("placed", "Placed", { className: "hidden sm:table-cell" })}
        </TR>
      </THead>
      <TBody>
        {orders.map((o) => (
          <TR key={o.orderId} className="hover:bg-slate-50">
            <TD>
              <Link href={`/orders/${o.orderId}`} className="font-medium whitespace-nowrap text-blue-800 underline-offset-2 hover:underline">
                {o.externalId}
              </Link>
              <div className="font-mono text-xs text-slate-600">
                <span className="sr-only">Short ID </span>
                {o.orderId.slice(0, 8)}
              </div>
              {o.orderId === exactMatchId && (
                <div className="mt-1">
                  <Badge tone="info">Exact match · Enter opens it</Badge>
                </div>
              )}
            </TD>
            <TD>
              <div>{o.customerName}</div>
              <div className="text-xs text-slate-600">{o.customerEmail}</div>
              {o.customerPhone && <div className="text-xs whitespace-nowrap text-slate-600">{o.customerPhone}</div>}
            </TD>
            <TD className="hidden md:table-cell">{o.storeId}</TD>
            <TD className="hidden md:table-cell">{o.channel}</TD>
            <TD>
              <OrderStatusBadge status={o.status} />
            </TD>
            <TD numeric className="whitespace-nowrap">
              {formatMoney(o.total, o.currency)}
            </TD>
            <TD className="hidden whitespace-nowrap sm:table-cell"><LocalTime iso={o.createdAt} dateOnly /></TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
