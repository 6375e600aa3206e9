import { z } from "zod";
import { DATE_RANGE_MESSAGE, isFilterDate } from "@/server/domain/date-range";

export const ORDER_STATUSES = ["OPEN", "PARTIALLY_CANCELLED", "CANCELLED", "PARTIALLY_SHIPPED", "SHIPPED", "COMPLETED"] as const;

export const ZSearchOrdersSchema = z.object({
  query: z.string().trim().max(200).optional(),
  storeId: z.string().trim().max(50).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  channel: z.enum(["web", "mobile", "pos", "crm", "marketplace"]).optional(),
  dateFrom: z.iso.date().refine(isFilterDate, DATE_RANGE_MESSAGE).optional(),
  dateTo: z.iso.date().refine(isFilterDate, DATE_RANGE_MESSAGE).optional(),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export type TSearchOrders = z.input<typeof ZSearchOrdersSchema>;
