import { getCancellation } from "@/server/cancellations/get-cancellation";
import { restRoute } from "@/server/rest/handler";

export const GET = restRoute("orders:read", async ({ db, actor, params }) => ({
  status: 200,
  body: await getCancellation({ db, actor }, params.orderId!, params.cancellationId!),
}));
