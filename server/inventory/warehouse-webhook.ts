import { NextResponse } from "next/server";
import { httpErrorResponse } from "@/server/http/errors";
import { assertJsonDepth, readBodyText } from "@/server/http/request-body";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { annotateSpan, withReceivedSpan } from "@/server/observability/spans";
import { AppError, ErrorCode, isAppError } from "@/server/domain/errors";
import { ZWarehouseAnswerSchema } from "./port";
import { applyWarehouseAnswer } from "./warehouse-cancellation";
import { verifyWarehouseSignature, WAREHOUSE_SIGNATURE_HEADER } from "./webhook-signature";

/**
 * POST /api/webhooks/warehouse: the warehouse's signed answer (SPEC §11). Verified on the raw body
 * before anything is read from it: a forged or stale signature is 401 and changes nothing. An
 * authentic answer is applied once; a duplicate, a late copy, or an answer about a request we do
 * not have answers 200 and changes nothing, or the warehouse would deliver it forever.
 */
export function handleWarehouseWebhook(req: Request): Promise<Response> {
  // A CONSUMER span per delivery, continuing the warehouse's traceparent when it sent one.
  return withReceivedSpan("webhook warehouse", { "url.path": "/api/webhooks/warehouse" }, req.headers, () => receive(req));
}

async function receive(req: Request): Promise<Response> {
  try {
    const rawBody = await readBodyText(req);
    if (!verifyWarehouseSignature(rawBody, req.headers.get(WAREHOUSE_SIGNATURE_HEADER), getConfig().warehouse.webhookSecret)) {
      throw new AppError(ErrorCode.UNAUTHENTICATED, "The warehouse callback's signature is missing, wrong or too old.");
    }
    assertJsonDepth(rawBody);
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new AppError(ErrorCode.VALIDATION_FAILED, "The warehouse callback is not JSON.");
    }
    const parsed = ZWarehouseAnswerSchema.safeParse(body);
    if (!parsed.success) throw new AppError(ErrorCode.VALIDATION_FAILED, "The warehouse callback is not an answer.", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
    const outcome = await applyWarehouseAnswer(getDb(), parsed.data, "callback");
    annotateSpan({ "pc.warehouse.outcome": outcome });
    return NextResponse.json({ received: true, outcome });
  } catch (error) {
    if (isAppError(error)) return httpErrorResponse(error);
    console.error("warehouse callback could not be processed", error);
    return NextResponse.json({ error: { code: "INTERNAL", message: "The answer could not be processed; deliver it again." } }, { status: 503 });
  }
}
