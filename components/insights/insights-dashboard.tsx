"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { reasonLabel } from "../cancellations/reasons";
import { formatMoney } from "../format-money";
import { formatDuration } from "../approvals/durations";
import { fieldClass, labelClass } from "../admin/form-styles";
import { useTRPC } from "../trpc";
import { ChartCard } from "./chart-card";
import type { InsightsView } from "./types";

const COLORS = ["#1d4ed8", "#b45309", "#047857", "#b91c1c", "#6d28d9", "#0e7490", "#be185d"];

const seconds = (s: number | null) => (s === null ? "—" : formatDuration(s * 1000));

/** Chart heights only: the labels and tables print the exact decimal strings. */
const plotted = (amount: string) => Number(amount);

function PerDay({ data }: { data: InsightsView }) {
  const currencies = [...new Set(data.perDay.map((d) => d.currency))].sort();
  const [currency, setCurrency] = useState<string | null>(null);
  const shown = currency && currencies.includes(currency) ? currency : (currencies[0] ?? "USD");
  const days = [...new Set(data.perDay.map((d) => d.day))];
  const counts = days.map((day) => ({ day, cancellations: data.perDay.filter((d) => d.day === day).reduce((s, d) => s + d.cancellations, 0) }));
  const refunds = data.perDay.filter((d) => d.currency === shown).map((d) => ({ day: d.day, refunded: plotted(d.refunded), label: formatMoney(d.refunded, d.currency) }));
  return (
    <>
      <ChartCard
        title="Cancellations per day"
        description="Every request made that day (UTC), whatever became of it."
        rows={data.perDay}
        csvName={`cancellations-per-day-${data.dateFrom}-${data.dateTo}.csv`}
        columns={[
          { key: "day", label: "Day", cell: (r) => r.day },
          { key: "currency", label: "Currency", cell: (r) => r.currency },
          { key: "cancellations", label: "Cancellations", numeric: true, cell: (r) => r.cancellations },
          { key: "completed", label: "Completed", numeric: true, cell: (r) => r.completed },
          { key: "refunded", label: "Refunded", numeric: true, cell: (r) => formatMoney(r.refunded, r.currency), csv: (r) => r.refunded },
        ]}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={counts} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="day" tick={{ fontSize: 11 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
              <Tooltip />
              <Bar isAnimationActive={false} dataKey="cancellations" name="Cancellations" fill={COLORS[0]} />
            </BarChart>
          </ResponsiveContainer>
        }
      />
      <ChartCard
        title={`Refunded per day, ${shown}`}
        description={
          currencies.length > 1 ? (
            <label className="inline-flex items-center gap-2">
              Currency
              <select className="rounded border border-slate-300 px-1 py-0.5" value={shown} onChange={(e) => setCurrency(e.target.value)}>
                {currencies.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          ) : (
            "Completed cancellations, by the day they were requested."
          )
        }
        rows={refunds}
        csvName={`refunded-per-day-${shown}-${data.dateFrom}-${data.dateTo}.csv`}
        columns={[
          { key: "day", label: "Day", cell: (r) => r.day },
          { key: "refunded", label: `Refunded (${shown})`, numeric: true, cell: (r) => r.label, csv: (r) => r.refunded },
        ]}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={refunds} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="day" tick={{ fontSize: 11 }} />
              <YAxis tick={{ fontSize: 11 }} width={60} />
              <Tooltip formatter={(_v, _n, item) => (item.payload as { label: string }).label} />
              <Line isAnimationActive={false} dataKey="refunded" name={`Refunded (${shown})`} stroke={COLORS[2]} dot={false} strokeWidth={2} />
            </LineChart>
          </ResponsiveContainer>
        }
      />
    </>
  );
}

function Breakdowns({ data }: { data: InsightsView }) {
  const reasons = data.byReason.map((r) => ({ ...r, label: reasonLabel(r.reason) }));
  const channels = [...new Set(data.byStoreChannel.map((r) => r.channel))].sort();
  const stores = [...new Set(data.byStoreChannel.map((r) => r.storeId))].sort();
  const storeRows = stores.map((storeId) => ({
    storeId,
    ...Object.fromEntries(channels.map((ch) => [ch, data.byStoreChannel.find((r) => r.storeId === storeId && r.channel === ch)?.cancellations ?? 0])),
  }));
  return (
    <>
      <ChartCard
        title="By reason"
        rows={reasons}
        csvName={`cancellations-by-reason-${data.dateFrom}-${data.dateTo}.csv`}
        columns={[
          { key: "reason", label: "Reason", cell: (r) => r.label, csv: (r) => r.reason },
          { key: "cancellations", label: "Cancellations", numeric: true, cell: (r) => r.cancellations },
          { key: "completed", label: "Completed", numeric: true, cell: (r) => r.completed },
        ]}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={reasons} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
              <YAxis type="category" dataKey="label" tick={{ fontSize: 11 }} width={120} />
              <Tooltip />
              <Bar isAnimationActive={false} dataKey="cancellations" name="Cancellations" fill={COLORS[1]} />
            </BarChart>
          </ResponsiveContainer>
        }
      />
      <ChartCard
        title="By store and channel"
        rows={data.byStoreChannel}
        csvName={`cancellations-by-store-${data.dateFrom}-${data.dateTo}.csv`}
        columns={[
          { key: "store", label: "Store", cell: (r) => r.storeId },
          { key: "channel", label: "Channel", cell: (r) => r.channel },
          { key: "cancellations", label: "Cancellations", numeric: true, cell: (r) => r.cancellations },
        ]}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={storeRows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="storeId" tick={{ fontSize: 11 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
              <Tooltip />
              <Legend />
              {channels.map((ch, i) => (
                <Bar isAnimationActive={false} key={ch} dataKey={ch} name={ch} stackId="channel" fill={COLORS[i % COLORS.length]} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        }
      />
      <ChartCard
        title="Most cancelled products"
        description="Units cancelled or on their way to it (rejected, withdrawn and expired requests left out)."
        rows={data.topSkus}
        csvName={`top-cancelled-skus-${data.dateFrom}-${data.dateTo}.csv`}
        columns={[
          { key: "sku", label: "SKU", cell: (r) => r.sku },
          { key: "description", label: "Product", cell: (r) => r.description },
          { key: "units", label: "Units", numeric: true, cell: (r) => r.units },
          { key: "cancellations", label: "Cancellations", numeric: true, cell: (r) => r.cancellations },
        ]}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data.topSkus} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
              <YAxis type="category" dataKey="sku" tick={{ fontSize: 11 }} width={110} />
              <Tooltip />
              <Bar isAnimationActive={false} dataKey="units" name="Units" fill={COLORS[4]} />
            </BarChart>
          </ResponsiveContainer>
        }
      />
    </>
  );
}

function Outcomes({ data }: { data: InsightsView }) {
  const a = data.approvals;
  const decided = a.approved + a.rejected + a.expired + a.withdrawn;
  const share = (k: number) => (decided ? `${Math.round((k / decided) * 100)} %` : "—");
  const approvalRows = [
    { outcome: "Approved", count: a.approved, share: share(a.approved) },
    { outcome: "Rejected", count: a.rejected, share: share(a.rejected) },
    { outcome: "Expired", count: a.expired, share: share(a.expired) },
    { outcome: "Withdrawn", count: a.withdrawn, share: share(a.withdrawn) },
    { outcome: "Still pending", count: a.pending, share: "—" },
  ];
  const s = data.saga;
  const sagaRows = [
    { outcome: "Completed", count: s.completed },
    { outcome: "Completed with a manual refund", count: s.manual },
    { outcome: "Failed", count: s.failed },
    { outcome: "Still processing", count: s.processing },
  ];
  return (
    <>
      <ChartCard
        title="Approvals"
        description={`${a.needed} requests needed approval. Time to a decision: median ${seconds(a.leadTimeSeconds.p50)}, 95th percentile ${seconds(a.leadTimeSeconds.p95)}.`}
        rows={a.needed ? approvalRows : []}
        csvName={`approval-outcomes-${data.dateFrom}-${data.dateTo}.csv`}
        columns={[
          { key: "outcome", label: "Outcome", cell: (r) => r.outcome },
          { key: "count", label: "Requests", numeric: true, cell: (r) => r.count },
          { key: "share", label: "Share of decided", numeric: true, cell: (r) => r.share },
        ]}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={approvalRows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="outcome" tick={{ fontSize: 11 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
              <Tooltip />
              <Bar isAnimationActive={false} dataKey="count" name="Requests" fill={COLORS[5]} />
            </BarChart>
          </ResponsiveContainer>
        }
      />
      <ChartCard
        title="Saga outcomes"
        description={`Time from the go-ahead to completed: median ${seconds(s.timeToCompleteSeconds.p50)}, 95th percentile ${seconds(s.timeToCompleteSeconds.p95)}.`}
        rows={s.completed + s.manual + s.failed + s.processing ? sagaRows : []}
        csvName={`saga-outcomes-${data.dateFrom}-${data.dateTo}.csv`}
        columns={[
          { key: "outcome", label: "Outcome", cell: (r) => r.outcome },
          { key: "count", label: "Cancellations", numeric: true, cell: (r) => r.count },
        ]}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={sagaRows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="outcome" tick={{ fontSize: 11 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
              <Tooltip />
              <Bar isAnimationActive={false} dataKey="count" name="Cancellations" fill={COLORS[2]} />
            </BarChart>
          </ResponsiveContainer>
        }
      />
    </>
  );
}

const KIND: Record<string, string> = { customer: "Customer", agent: "Agent", store: "Store" };

function Anomalies({ data }: { data: InsightsView }) {
  const an = data.anomalies;
  const rows = an.rows.map((r) => ({ ...r, label: `${KIND[r.kind] ?? r.kind}: ${r.name}` }));
  return (
    <ChartCard
      title="Unusual patterns"
      description={`Customers, agents and stores with at least ${an.minimum} cancellations in the last ${an.recentDays} days of the period and ${an.factor} × or more their usual weekly rate (the ${an.baselineDays} days before). The approval gate flagged ${data.velocity.flagged} requests for velocity, from ${data.velocity.customers} customers.`}
      rows={rows}
      empty="Nothing unusual: no customer, agent or store is far above its usual rate."
      csvName={`unusual-patterns-${data.dateFrom}-${data.dateTo}.csv`}
      columns={[
        { key: "kind", label: "Who", cell: (r) => KIND[r.kind] ?? r.kind },
        { key: "name", label: "Name", cell: (r) => r.name },
        { key: "recent", label: `Last ${an.recentDays} days`, numeric: true, cell: (r) => r.recent },
        { key: "usual", label: "Usual per week", numeric: true, cell: (r) => r.usualPerWeek },
        { key: "ratio", label: "Times usual", numeric: true, cell: (r) => `${r.ratio} ×`, csv: (r) => r.ratio },
      ]}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis type="number" tick={{ fontSize: 11 }} />
            <YAxis type="category" dataKey="label" tick={{ fontSize: 11 }} width={160} />
            <Tooltip />
            <Legend />
            <Bar isAnimationActive={false} dataKey="recent" name={`Last ${an.recentDays} days`} fill={COLORS[3]} />
            <Bar isAnimationActive={false} dataKey="usualPerWeek" name="Usual per week" fill={COLORS[0]} />
          </BarChart>
        </ResponsiveContainer>
      }
    />
  );
}

export function InsightsDashboard({ stores }: { stores: string[] | null }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<{ dateFrom?: string; dateTo?: string; storeId?: string }>({});
  const insights = useQuery(trpc.insights.get.queryOptions(filters, { placeholderData: (previous) => previous }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    setFilters({ dateFrom: value("dateFrom"), dateTo: value("dateTo"), storeId: value("storeId") });
  }

  return (
    <div className="space-y-4">
      <form role="search" aria-label="Insights filters" onSubmit={onSubmit} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <div>
          <label htmlFor="insights-from" className={labelClass}>
            From (UTC)
          </label>
          <input id="insights-from" name="dateFrom" type="date" defaultValue={insights.data?.dateFrom} key={`from-${insights.data?.dateFrom}`} className={fieldClass} />
        </div>
        <div>
          <label htmlFor="insights-to" className={labelClass}>
            To (UTC)
          </label>
          <input id="insights-to" name="dateTo" type="date" defaultValue={insights.data?.dateTo} key={`to-${insights.data?.dateTo}`} className={fieldClass} />
        </div>
        <div>
          <label htmlFor="insights-store" className={labelClass}>
            Store
          </label>
          {stores ? (
            <select id="insights-store" name="storeId" defaultValue={filters.storeId ?? ""} className={fieldClass}>
              <option value="">All your stores</option>
              {stores.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          ) : (
            <input id="insights-store" name="storeId" type="search" placeholder="All stores" defaultValue={filters.storeId ?? ""} className={fieldClass} />
          )}
        </div>
        <Button type="submit">Show</Button>
      </form>

      {insights.isPending ? (
        <p className="text-sm text-slate-700">Computing the figures…</p>
      ) : insights.isError && !insights.data ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          {describeAppError(insights.error)}
        </p>
      ) : (
        <>
          {insights.isError && (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
              {describeAppError(insights.error)}
            </p>
          )}
          <p className="text-sm text-slate-700" data-testid="insights-period">
            {insights.data.dateFrom} to {insights.data.dateTo} (UTC){insights.data.stores ? `, stores ${insights.data.stores.join(", ") || "none"}` : ", every store"}; computed in{" "}
            {insights.data.queryMs} ms.
          </p>
          <div className="grid gap-4 lg:grid-cols-2">
            <PerDay data={insights.data} />
            <Breakdowns data={insights.data} />
            <Outcomes data={insights.data} />
            <Anomalies data={insights.data} />
          </div>
        </>
      )}
    </div>
  );
}
