import { getOrder } from "@/server/orders/get-order";
import { restRoute } from "@/server/rest/handler";

export const GET = restRoute("orders:read", async ({ db, actor, params }) => ({
  status: 200,
  body: await getOrder({ db, actor }, params.orderId!),
}));
