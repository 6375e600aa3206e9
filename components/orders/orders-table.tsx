import Link from "next/link";
import { OrderStatusBadge } from "../badge";
import { formatDate, formatMoney } from "../format-money";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import type { OrderSearchRow } from "./types";

export function OrdersTable({ orders }: { orders: OrderSearchRow[] }) {
  return (
    <Table label="Orders found">
      <THead>
        <TR>
          <TH>Order</TH>
          <TH>Customer</TH>
          <TH className="hidden md:table-cell">Store</TH>
          <TH className="hidden md:table-cell">Channel</TH>
          <TH>Status</TH>
          <TH numeric>Total</TH>
          <TH className="hidden sm:table-cell">Placed</TH>
        </TR>
      </THead>
      <TBody>
        {orders.map((o) => (
          <TR key={o.orderId} className="hover:bg-slate-50">
            <TD>
              <Link href={`/orders/${o.orderId}`} className="font-medium whitespace-nowrap text-blue-800 underline-offset-2 hover:underline">
                {o.externalId}
              </Link>
              <div className="font-mono text-xs text-slate-600">{o.orderId.slice(0, 8)}</div>
            </TD>
            <TD>
              <div>{o.customerName}</div>
              <div className="text-xs text-slate-600">{o.customerEmail}</div>
            </TD>
            <TD className="hidden md:table-cell">{o.storeId}</TD>
            <TD className="hidden md:table-cell">{o.channel}</TD>
            <TD>
              <OrderStatusBadge status={o.status} />
            </TD>
            <TD numeric className="whitespace-nowrap">
              {formatMoney(o.total, o.currency)}
            </TD>
            <TD className="hidden whitespace-nowrap sm:table-cell">{formatDate(o.createdAt)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
