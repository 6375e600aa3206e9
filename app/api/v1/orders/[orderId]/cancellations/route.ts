import { listCancellations } from "@/server/cancellations/get-cancellation";
import { restRoute } from "@/server/rest/handler";

export const GET = restRoute("orders:read", async ({ db, actor, req, params }) => {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return { status: 200, body: await listCancellations({ db, actor }, params.orderId!, query) };
});
