import { z } from "zod";
import { getCustomerContext } from "@/server/orders/get-customer-context";
import { getOrder } from "@/server/orders/get-order";
import { searchOrders } from "@/server/orders/search-orders";
import { ZSearchOrdersSchema } from "@/server/orders/search-orders.schema";
import { permissionProcedure, router } from "../trpc";

export const orderRouter = router({
  get: permissionProcedure("view_order_details")
    .input(z.object({ orderId: z.string() }))
    .query(({ ctx, input }) => getOrder(ctx, input.orderId)),
  /** The customer beside the order: other orders, cancellations, refunds and the velocity counters. */
  customer: permissionProcedure("view_order_details")
    .input(z.object({ orderId: z.string() }))
    .query(({ ctx, input }) => getCustomerContext(ctx, input.orderId)),
  search: permissionProcedure("view_order_details")
    .input(ZSearchOrdersSchema)
    .query(({ ctx, input }) => searchOrders(ctx, input)),
});
