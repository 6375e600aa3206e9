import { z } from "zod";
import { DATE_RANGE_MESSAGE, isFilterDate } from "@/server/domain/date-range";

export const ORDER_STATUSES = ["OPEN", "PARTIALLY_CANCELLED", "CANCELLED", "PARTIALLY_SHIPPED", "SHIPPED", "COMPLETED"] as const;

/** The columns the order search sorts by. */
export const ORDER_SORTS = ["placed", "external_id", "customer", "store", "status", "total"] as const;
export type TOrderSort = (typeof ORDER_SORTS)[number];

export const ZSearchOrdersSchema = z.object({
  query: z.string().trim().max(200).optional(),
  storeId: z.string().trim().max(50).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  channel: z.enum(["web", "mobile", "pos", "crm", "marketplace"]).optional(),
  dateFrom: z.iso.date().refine(isFilterDate, DATE_RANGE_MESSAGE).optional(),
  dateTo: z.iso.date().refine(isFilterDate, DATE_RANGE_MESSAGE).optional(),
  /** Newest first unless told otherwise; ties are broken by the order id, so pages never overlap. */
  sort: z.enum(ORDER_SORTS).default("placed"),
  direction: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export type TSearchOrders = z.input<typeof ZSearchOrdersSchema>;
/** The filters of a search, validated, without its page. */
export type TSearchOrdersFilters = Omit<z.output<typeof ZSearchOrdersSchema>, "page" | "pageSize">;
