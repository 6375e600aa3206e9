import { previewCancellation } from "@/server/cancellations/preview-cancellation";
import { readJson, restRoute } from "@/server/rest/handler";

export const POST = restRoute("orders:read", async ({ db, actor, req, params }) => ({
  status: 200,
  body: await previewCancellation({ db, actor }, params.orderId!, await readJson(req)),
}));
