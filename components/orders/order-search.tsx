"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { describeAppError } from "../app-error";
import { orderStatusLabel } from "../badge";
import { Button } from "../button";
import { useTRPC } from "../trpc";
import { OrdersTable } from "./orders-table";
import { CHANNELS, filtersToQueryString, filtersToSearchInput, ORDER_STATUSES, type OrderFilters, PAGE_SIZE } from "./search-params";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
const label = "text-sm font-medium text-slate-800";

/** The search form and its results; the URL is the state, so the form only navigates. */
export function OrderSearch({ filters, storeIds }: { filters: OrderFilters; storeIds: string[] | null }) {
  const router = useRouter();
  const trpc = useTRPC();
  const search = useQuery({ ...trpc.order.search.queryOptions(filtersToSearchInput(filters)), placeholderData: keepPreviousData });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "").trim();
    const qs = filtersToQueryString({ q: value("q"), store: value("store"), status: value("status"), channel: value("channel"), from: value("from"), to: value("to") });
    router.push(qs ? `/orders?${qs}` : "/orders");
  }

  const formKey = filtersToQueryString({ ...filters, page: 1 });
  const data = search.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const hasFilters = formKey !== "";

  return (
    <div className="space-y-5">
      <form key={formKey} role="search" aria-label="Orders" onSubmit={onSubmit} className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-6">
          <div className="col-span-2 lg:col-span-6">
            <label htmlFor="order-q" className={label}>
              Order ID, external ID, customer email or name
            </label>
            <input id="order-q" name="q" type="search" defaultValue={filters.q} placeholder="e.g. WEB-100045 or ada@example.com" className={field} />
          </div>
          <div className="lg:col-span-1">
            <label htmlFor="order-store" className={label}>
              Store
            </label>
            {storeIds && storeIds.length > 0 ? (
              <select id="order-store" name="store" defaultValue={filters.store} className={field}>
                <option value="">All my stores</option>
                {storeIds.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            ) : (
              <input id="order-store" name="store" defaultValue={filters.store} placeholder="STORE-001" className={field} />
            )}
          </div>
          <div className="lg:col-span-1">
            <label htmlFor="order-status" className={label}>
              Status
            </label>
            <select id="order-status" name="status" defaultValue={filters.status} className={field}>
              <option value="">Any status</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {orderStatusLabel(s)}
                </option>
              ))}
            </select>
          </div>
          <div className="lg:col-span-1">
            <label htmlFor="order-channel" className={label}>
              Channel
            </label>
            <select id="order-channel" name="channel" defaultValue={filters.channel} className={field}>
              <option value="">Any channel</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <div className="lg:col-span-1">
            <label htmlFor="order-from" className={label}>
              Placed from
            </label>
            <input id="order-from" name="from" type="date" defaultValue={filters.from} className={field} />
          </div>
          <div className="lg:col-span-1">
            <label htmlFor="order-to" className={label}>
              Placed to
            </label>
            <input id="order-to" name="to" type="date" defaultValue={filters.to} className={field} />
          </div>
          <div className="flex items-end gap-2 lg:col-span-1">
            <Button type="submit" className="flex-1">
              Search
            </Button>
            {hasFilters && (
              <Link href="/orders" className="rounded-md px-3 py-2 text-sm font-medium text-blue-800 hover:bg-blue-50">
                Clear
              </Link>
            )}
          </div>
        </div>
      </form>

      <section aria-labelledby="results-heading" aria-busy={search.isFetching}>
        <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="results-heading" className="text-lg font-semibold">
            Results
          </h2>
          {data && (
            <p className="text-sm text-slate-700" aria-live="polite">
              {data.total === 0
                ? "No orders"
                : `Showing ${(data.page - 1) * data.pageSize + 1}–${Math.min(data.total, data.page * data.pageSize)} of ${data.total} orders`}
            </p>
          )}
        </div>
        {search.isPending ? (
          <p role="status" className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-700">
            Loading orders…
          </p>
        ) : search.isError ? (
          <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
            <p className="font-medium">The search failed.</p>
            <p>{describeAppError(search.error)}</p>
            <Button variant="secondary" className="mt-2" onClick={() => search.refetch()}>
              Try again
            </Button>
          </div>
        ) : data && data.orders.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-700">
            <p className="font-medium text-slate-900">No orders match this search.</p>
            <p className="mt-1">Check the spelling, or widen the filters.</p>
          </div>
        ) : data ? (
          <>
            <OrdersTable orders={data.orders} />
            {pages > 1 && (
              <nav aria-label="Pagination" className="mt-3 flex items-center justify-between gap-2 text-sm">
                {filters.page > 1 ? (
                  <Link className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-100" href={`/orders?${filtersToQueryString({ ...filters, page: filters.page - 1 })}`}>
                    Previous page
                  </Link>
                ) : (
                  <span />
                )}
                <span className="text-slate-700">
                  Page {filters.page} of {pages}
                </span>
                {filters.page < pages ? (
                  <Link className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-100" href={`/orders?${filtersToQueryString({ ...filters, page: filters.page + 1 })}`}>
                    Next page
                  </Link>
                ) : (
                  <span />
                )}
              </nav>
            )}
          </>
        ) : null}
      </section>
    </div>
  );
}
