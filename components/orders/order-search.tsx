"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ChangeEvent, type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { describeAppError } from "../app-error";
import { orderStatusLabel } from "../badge";
import { Button } from "../button";
import { useTRPC } from "../trpc";
import { useDebouncedValue } from "../use-debounced-value";
import { OrdersTable } from "./orders-table";
import { CHANNELS, filtersToQueryString, filtersToSearchInput, ORDER_STATUSES, type OrderFilters, PAGE_SIZE } from "./search-params";

const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
const label = "text-sm font-medium text-slate-800";
/** How long the text must rest before it is searched (as you type). */
export const SEARCH_DEBOUNCE_MS = 300;

/** One filter of the search form: its label over its control (whose id is `id`). */
function Filter({ id, label: text, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="lg:col-span-1">
      <label htmlFor={id} className={label}>
        {text}
      </label>
      {children}
    </div>
  );
}

/** A filter's choices, the first of them ("Any …") no filter at all; `options` are [value, label]. */
function FilterSelect({ id, name, value, any, options, onChange }: { id: string; name: string; value: string; any: string; options: [string, string][]; onChange: (event: ChangeEvent<HTMLSelectElement>) => void }) {
  return (
    <select id={id} name={name} defaultValue={value} onChange={onChange} className={field}>
      <option value="">{any}</option>
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}

const ordersCount = (n: number) => `${n} ${n === 1 ? "order" : "orders"}`;

/**
 * The search form and its results. The URL is the state (a link can be shared): the text is
 * searched as it is typed, once it rests, and the URL follows; the filters navigate at once.
 * While an answer for newer input is on its way the old rows stay visible but inert, so nobody
 * opens an order of a search they no longer mean. Enter on an exact external id opens the order.
 */
export function OrderSearch({ filters, storeIds }: { filters: OrderFilters; storeIds: string[] | null }) {
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hintId = useId();
  const [text, setText] = useState(filters.q);
  const settled = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const inUrl = useRef(filters.q);
  const [opening, setOpening] = useState(false);

  // Navigation that changed the text (back, Clear, a shared link) wins over what was typed.
  useEffect(() => {
    if (filters.q !== inUrl.current) {
      inUrl.current = filters.q;
      setText(filters.q);
    }
  }, [filters.q]);

  const current: OrderFilters = settled === filters.q ? filters : { ...filters, q: settled, page: 1 };
  const searchOptions = trpc.order.search.queryOptions(filtersToSearchInput(current));
  const search = useQuery({ ...searchOptions, placeholderData: keepPreviousData });

  useEffect(() => {
    if (settled === inUrl.current) return;
    inUrl.current = settled;
    const qs = filtersToQueryString({ ...filters, q: settled, page: 1 });
    router.replace(qs ? `/orders?${qs}` : "/orders", { scroll: false });
    // Only a settled text moves the URL (the filters of the moment go with it), never a filter change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);

  const go = (next: Partial<OrderFilters>) => {
    const qs = filtersToQueryString({ ...filters, q: text.trim(), page: 1, ...next });
    router.push(qs ? `/orders?${qs}` : "/orders", { scroll: false });
  };
  const onFilter = (name: keyof OrderFilters) => (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => go({ [name]: event.currentTarget.value.trim() });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = text.trim();
    const store = String(new FormData(event.currentTarget).get("store") ?? "").trim();
    if (!q) return go({ q: "", store });
    setOpening(true);
    try {
      // The answer for exactly this text, not the one on screen (it may be for what was typed before).
      const answer = await queryClient.fetchQuery(trpc.order.search.queryOptions(filtersToSearchInput({ ...filters, q, store, page: 1 })));
      if (answer.exactMatch) return router.push(`/orders/${answer.exactMatch.orderId}`);
    } catch {
      // The results area shows the failure.
    } finally {
      setOpening(false);
    }
    inUrl.current = q;
    go({ q, store });
  }

  const stale = search.isPlaceholderData || text.trim() !== settled || opening;
  const data = search.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const shown = { ...filters, q: data ? current.q : filters.q };
  const hasFilters = filtersToQueryString({ ...filters, q: text.trim(), page: 1, sort: "placed", dir: "desc" }) !== "";
  const filterKey = filtersToQueryString({ store: filters.store, status: filters.status, channel: filters.channel, from: filters.from, to: filters.to });

  return (
    <div className="space-y-5">
      <form role="search" aria-label="Orders" onSubmit={onSubmit} className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-6">
          <div className="col-span-2 lg:col-span-6">
            <label htmlFor="order-q" className={label}>
              Search orders
            </label>
            <input
              id="order-q"
              name="q"
              type="search"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              maxLength={200}
              autoComplete="off"
              aria-describedby={hintId}
              placeholder="e.g. WEB-100045, ada@example.com, +1 555 010 4477, SKU-RED-M or 4242"
              className={field}
            />
            <p id={hintId} className="mt-1 text-xs text-slate-600">
              Order ID or the short ID under it, external ID (Enter opens an exact match), customer name, email or phone (the last 4 digits or more), SKU or product, card last 4.
            </p>
          </div>
          <div key={filterKey} className="contents">
            <Filter id="order-store" label="Store">
              {storeIds && storeIds.length > 0 ? (
                <FilterSelect id="order-store" name="store" value={filters.store} any="All my stores" options={storeIds.map((s) => [s, s])} onChange={onFilter("store")} />
              ) : (
                <input id="order-store" name="store" defaultValue={filters.store} onBlur={(e) => e.currentTarget.value.trim() !== filters.store && onFilter("store")(e)} placeholder="STORE-001" className={field} />
              )}
            </Filter>
            <Filter id="order-status" label="Status">
              <FilterSelect id="order-status" name="status" value={filters.status} any="Any status" options={ORDER_STATUSES.map((s) => [s, orderStatusLabel(s)])} onChange={onFilter("status")} />
            </Filter>
            <Filter id="order-channel" label="Channel">
              <FilterSelect id="order-channel" name="channel" value={filters.channel} any="Any channel" options={CHANNELS.map((c) => [c, c])} onChange={onFilter("channel")} />
            </Filter>
            <Filter id="order-from" label="Placed from">
              <input id="order-from" name="from" type="date" defaultValue={filters.from} onChange={onFilter("from")} className={field} />
            </Filter>
            <Filter id="order-to" label="Placed to">
              <input id="order-to" name="to" type="date" defaultValue={filters.to} onChange={onFilter("to")} className={field} />
            </Filter>
          </div>
          <div className="flex items-end gap-2 lg:col-span-1">
            <Button type="submit" className="flex-1" disabled={opening}>
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

      <section aria-labelledby="results-heading" aria-busy={stale || search.isFetching}>
        <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="results-heading" className="text-lg font-semibold">
            Results
          </h2>
          <p className="text-sm text-slate-700" role="status">
            {stale || (search.isFetching && !data)
              ? "Searching…"
              : data
                ? data.total === 0
                  ? "No orders"
                  : data.total <= data.pageSize && data.page === 1
                    ? ordersCount(data.total)
                    : `Showing ${(data.page - 1) * data.pageSize + 1}–${Math.min(data.total, data.page * data.pageSize)} of ${ordersCount(data.total)}`
                : ""}
          </p>
        </div>
        {search.isPending ? (
          <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-700">Loading orders…</p>
        ) : search.isError && !data ? (
          <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
            <p className="font-medium">The search failed.</p>
            <p>{describeAppError(search.error)}</p>
            <Button variant="secondary" className="mt-2" onClick={() => search.refetch()}>
              Try again
            </Button>
          </div>
        ) : data && data.orders.length === 0 ? (
          <div className={`rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-700 ${stale ? "opacity-60" : ""}`}>
            <p className="font-medium text-slate-900">No orders match this search.</p>
            <p className="mt-1">Check the spelling, or widen the filters.</p>
          </div>
        ) : data ? (
          <div inert={stale} className={stale ? "opacity-60 transition-opacity" : "transition-opacity"}>
            <OrdersTable orders={data.orders} exactMatchId={data.exactMatch?.orderId ?? null} sort={{ sort: filters.sort, dir: filters.dir }} hrefFor={(s) => `/orders?${filtersToQueryString({ ...shown, ...s, page: 1 })}`} />
            {pages > 1 && (
              <nav aria-label="Pagination" className="mt-3 flex items-center justify-between gap-2 text-sm">
                {data.page > 1 ? (
                  <Link scroll={false} className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-100" href={`/orders?${filtersToQueryString({ ...shown, page: data.page - 1 })}`}>
                    Previous page
                  </Link>
                ) : (
                  <span />
                )}
                <span className="text-slate-700">
                  Page {data.page} of {pages}
                </span>
                {data.page < pages ? (
                  <Link scroll={false} className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-100" href={`/orders?${filtersToQueryString({ ...shown, page: data.page + 1 })}`}>
                    Next page
                  </Link>
                ) : (
                  <span />
                )}
              </nav>
            )}
          </div>
        ) : null}
      </section>
    </div>
  );
}
