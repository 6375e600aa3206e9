import { decideApproval } from "@/server/cancellations/decide-approval";
import { readOptionalJson, restRoute } from "@/server/rest/handler";

export const POST = restRoute("cancellations:approve", async ({ db, actor, req, params }) => ({
  status: 200,
  body: await decideApproval({ db, actor }, params.cancellationId!, "approved", await readOptionalJson(req)),
}));
