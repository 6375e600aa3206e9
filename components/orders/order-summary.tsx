import { Badge, OrderStatusBadge } from "../badge";
import { formatMoney } from "../format-money";
import { LocalTime } from "../local-time";
import { tenderLabel } from "./tender-label";
import type { OrderView, TenderView } from "./types";

function isZero(amount: string) {
  return /^0+(\.0+)?$/.test(amount);
}

/** "Visa •••• 4242, authorized $300.99, captured $0.00" (+ reversed/refunded once there are any). */
export function tenderSummary(t: TenderView, currency: string): string {
  const parts = [tenderLabel(t), `authorized ${formatMoney(t.authorized, currency)}`, `captured ${formatMoney(t.captured, currency)}`];
  if (!isZero(t.reversed)) parts.push(`reversed ${formatMoney(t.reversed, currency)}`);
  if (!isZero(t.refunded)) parts.push(`refunded ${formatMoney(t.refunded, currency)}`);
  return parts.join(", ");
}

export function OrderSummary({ order }: { order: OrderView }) {
  const money = (amount: string) => formatMoney(amount, order.currency);
  const term = "text-xs font-semibold uppercase tracking-wide text-slate-600";
  return (
    <section aria-labelledby="summary-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="summary-heading" className="sr-only">
        Summary
      </h2>
      <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <dt className={term}>Customer</dt>
          <dd className="mt-1">
            <div className="font-medium">{order.customer.name}</div>
            <div className="text-sm break-all text-slate-700">{order.customer.email}</div>
            {order.customer.phone && <div className="text-sm text-slate-700">{order.customer.phone}</div>}
            {order.customer.masked && (
              <div className="mt-1">
                <Badge>Masked: no permission to see personal data</Badge>
              </div>
            )}
          </dd>
        </div>
        <div>
          <dt className={term}>Status</dt>
          <dd className="mt-1">
            <OrderStatusBadge status={order.status} />
          </dd>
        </div>
        <div>
          <dt className={term}>Store · channel</dt>
          <dd className="mt-1">
            {order.storeId} · {order.channel}
          </dd>
        </div>
        <div>
          <dt className={term}>Placed</dt>
          <dd className="mt-1"><LocalTime iso={order.createdAt} /></dd>
        </div>
        <div>
          <dt className={term}>Order total</dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums">{money(order.total)}</dd>
        </div>
        <div>
          <dt className={term}>Discounts</dt>
          <dd className="mt-1 text-sm">
            {order.discounts.length === 0
              ? "None"
              : order.discounts.map((d) => (
                  <div key={d.code}>
                    {d.code}: −{money(d.amount)}
                  </div>
                ))}
          </dd>
        </div>
        <div>
          <dt className={term}>Shipping</dt>
          <dd className="mt-1 text-sm">
            {money(order.shipping.amount)} <span className="text-slate-600">(tax {money(order.shipping.tax)})</span>
          </dd>
        </div>
        <div className="sm:col-span-2 lg:col-span-4">
          <dt className={term}>Payments</dt>
          <dd className="mt-1">
            <ul className="space-y-1 text-sm" aria-label="Payments">
              {order.tenders.map((t) => (
                <li key={t.tenderId} className="tabular-nums">
                  {tenderSummary(t, order.currency)}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
    </section>
  );
}
