export const ORDER_STATUSES = ["OPEN", "PARTIALLY_CANCELLED", "CANCELLED", "PARTIALLY_SHIPPED", "SHIPPED", "COMPLETED"] as const;
export const CHANNELS = ["web", "mobile", "pos", "crm", "marketplace"] as const;
export const PAGE_SIZE = 20;
export const ORDER_SORTS = ["placed", "external_id", "customer", "store", "status", "total"] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];
export type SortDirection = "asc" | "desc";

/** The order search as it lives in the URL (?q=&store=&status=&channel=&from=&to=&sort=&dir=&page=), so a link can be shared. */
export interface OrderFilters {
  q: string;
  store: string;
  status: string;
  channel: string;
  from: string;
  to: string;
  sort: OrderSort;
  dir: SortDirection;
  page: number;
}

type RawParams = Record<string, string | string[] | undefined>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

/** Lenient: anything the search API would refuse is dropped rather than shown as an error. */
export function parseOrderFilters(raw: RawParams): OrderFilters {
  const status = first(raw.status);
  const channel = first(raw.channel);
  const from = first(raw.from);
  const to = first(raw.to);
  const page = Number(first(raw.page));
  const sort = first(raw.sort);
  return {
    q: first(raw.q).slice(0, 200),
    store: first(raw.store).slice(0, 50),
    status: (ORDER_STATUSES as readonly string[]).includes(status) ? status : "",
    channel: (CHANNELS as readonly string[]).includes(channel) ? channel : "",
    from: DATE.test(from) ? from : "",
    to: DATE.test(to) ? to : "",
    sort: (ORDER_SORTS as readonly string[]).includes(sort) ? (sort as OrderSort) : "placed",
    dir: first(raw.dir) === "asc" ? "asc" : "desc",
    page: Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

export function filtersToQueryString(f: Partial<OrderFilters>): string {
  const params = new URLSearchParams();
  if (f.q) params.set("q", f.q);
  if (f.store) params.set("store", f.store);
  if (f.status) params.set("status", f.status);
  if (f.channel) params.set("channel", f.channel);
  if (f.from) params.set("from", f.from);
  if (f.to) params.set("to", f.to);
  if (f.sort && f.sort !== "placed") params.set("sort", f.sort);
  if (f.dir === "asc") params.set("dir", "asc");
  if (f.page && f.page > 1) params.set("page", String(f.page));
  return params.toString();
}

export function filtersToSearchInput(f: OrderFilters) {
  return {
    query: f.q || undefined,
    storeId: f.store || undefined,
    status: (f.status || undefined) as (typeof ORDER_STATUSES)[number] | undefined,
    channel: (f.channel || undefined) as (typeof CHANNELS)[number] | undefined,
    dateFrom: f.from || undefined,
    dateTo: f.to || undefined,
    sort: f.sort,
    direction: f.dir,
    page: f.page,
    pageSize: PAGE_SIZE,
  };
}
