import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { readJson, restRoute } from "@/server/rest/handler";

function waitFrom(url: string): number | undefined {
  const wait = new URL(url).searchParams.get("wait");
  if (wait === null) return undefined;
  if (!/^\d{1,5}$/.test(wait)) throw new AppError(ErrorCode.VALIDATION_FAILED, "wait is a number of milliseconds (0 answers at once).");
  return Math.min(Number(wait), 10_000);
}

export const POST = restRoute("cancellations:write", async ({ db, actor, req, params }) => {
  const waitMs = waitFrom(req.url);
  const body = await readJson(req);
  const answer = await submitCancellation({ db, actor }, params.orderId!, body, { idempotencyKey: req.headers.get("idempotency-key"), waitMs });
  return { status: answer.status, body: answer.body, headers: answer.replayed ? { "Idempotent-Replayed": "true" } : undefined };
});
