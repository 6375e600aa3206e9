import { NextResponse } from "next/server";
import { assertJsonDepth, assertStorableStrings, readBodyText } from "@/server/http/request-body";
import { AppError, ErrorCode, isAppError } from "@/server/domain/errors";
import { httpErrorResponse } from "@/server/http/errors";
import { getDb } from "@/server/db/client";
import { getConfig } from "@/server/config";
import type { WebhookItems } from "@/server/payments/webhook-items";
import { UnhandledWebhookEventError, WebhookVerificationError } from "@/server/payments/webhooks";
import { settleFromWebhook } from "@/server/saga/settle-webhook";
import { observedRoute } from "@/server/observability/observed-route";
import { logger } from "@/server/observability/logger";
import { withReceivedSpan } from "@/server/observability/spans";

/**
 * A provider's webhook: verify on the raw body, settle each item on its own.
 * - An authentic item settles its operation once; a replay, or an event
 *   about something we do not track, changes nothing. Both answer 2xx, or the
 *   provider would redeliver forever.
 * - A forged or malformed item is dropped without blocking the others; a
 *   delivery with nothing acceptable in it (or no valid envelope) gets 4xx.
 * - An item we could not process (database down, verification unreachable)
 *   makes the answer 5xx after the others are settled, so the provider
 *   delivers again; what was settled answers as a replay the next time.
 */
export function webhookRoute(parse: WebhookItems, okBody: unknown = { received: true }) {
  // A CONSUMER span per delivery (webhook stripe, …), continuing the sender's traceparent when it sent one.
  return observedRoute((req: Request) => {
    const path = new URL(req.url).pathname;
    return withReceivedSpan(`webhook ${path.split("/").pop()}`, { "url.path": path }, req.headers, () => receive(req));
  });

  async function receive(req: Request): Promise<Response> {
    let items: Awaited<ReturnType<WebhookItems>>;
    try {
      // Size and depth are checked before the signature: verifying means parsing.
      const rawBody = await readBodyText(req);
      assertJsonDepth(rawBody);
      items = await parse(rawBody, req.headers, getConfig().payments);
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) return refusal;
      throw error;
    }
    const db = getDb();
    const rejected: Response[] = [];
    let accepted = 0;
    let failed = 0;
    for (const item of items) {
      try {
        const event = await item();
        assertStorableStrings(event, "event");
        await settleFromWebhook(db, event);
        accepted += 1;
      } catch (error) {
        const refusal = error instanceof UnhandledWebhookEventError ? null : refusalOf(error);
        if (error instanceof UnhandledWebhookEventError) accepted += 1;
        else if (refusal) rejected.push(refusal);
        else {
          failed += 1;
          logger().error({ err: error }, "webhook item could not be processed");
        }
      }
    }
    if (failed > 0) {
      return NextResponse.json({ error: { code: "INTERNAL", message: `${failed} notification(s) could not be processed; deliver again.` } }, { status: 503 });
    }
    if (accepted === 0 && rejected.length > 0) return rejected[0]!;
    return typeof okBody === "string" ? new NextResponse(okBody) : NextResponse.json(okBody);
  }
}

/** The 4xx for a notification that is not acceptable; null for an error that is ours. */
function refusalOf(error: unknown): Response | null {
  if (isAppError(error)) return httpErrorResponse(error);
  if (error instanceof WebhookVerificationError || error instanceof SyntaxError) {
    return httpErrorResponse(new AppError(ErrorCode.VALIDATION_FAILED, error.message));
  }
  return null;
}
