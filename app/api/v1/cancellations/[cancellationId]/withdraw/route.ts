import { withdrawCancellation } from "@/server/cancellations/withdraw-cancellation";
import { readOptionalJson, restRoute } from "@/server/rest/handler";

export const POST = restRoute("cancellations:write", async ({ db, actor, req, params }) => ({
  status: 200,
  body: await withdrawCancellation({ db, actor }, params.cancellationId!, await readOptionalJson(req)),
}));
