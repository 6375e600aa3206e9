import { NextResponse } from "next/server";
import { errorResponse } from "@/server/api/error-mapping";
import { assertJsonDepth, assertStorableStrings, readBodyText } from "@/server/api/request-body";
import { isAppError } from "@/server/domain/errors";
import { getDb } from "@/server/db/client";
import { UnhandledWebhookEventError, WebhookVerificationError, type PaymentWebhookEvent } from "@/server/payments/webhooks";
import { settleFromWebhook } from "@/server/saga/settle-webhook";

/**
 * A provider's webhook: verify on the raw body, settle each event once.
 * Forged, malformed and replayed notifications get 400 and change nothing;
 * authentic events about something we do not track get 200.
 */
export function webhookRoute(verify: (rawBody: string, req: Request) => Promise<PaymentWebhookEvent[]>, okBody: unknown = { received: true }) {
  return async (req: Request) => {
    let events: PaymentWebhookEvent[];
    try {
      // Size and depth are checked before the signature: verifying means parsing.
      const rawBody = await readBodyText(req);
      assertJsonDepth(rawBody);
      events = await verify(rawBody, req);
      assertStorableStrings(events, "event");
    } catch (error) {
      if (isAppError(error)) {
        const { status, body } = errorResponse(error);
        return NextResponse.json(body, { status });
      }
      if (error instanceof UnhandledWebhookEventError) return NextResponse.json(okBody);
      if (error instanceof WebhookVerificationError || error instanceof SyntaxError) {
        return NextResponse.json({ error: { code: "VALIDATION_FAILED", message: error.message } }, { status: 400 });
      }
      throw error;
    }
    const db = getDb();
    for (const event of events) {
      const outcome = await settleFromWebhook(db, event);
      if (outcome === "replayed") {
        return NextResponse.json({ error: { code: "VALIDATION_FAILED", message: `Notification ${event.eventId} was already processed.` } }, { status: 400 });
      }
      if (outcome === "not_ready") {
        return NextResponse.json({ error: { code: "INTERNAL", message: "The operation is still being recorded; deliver again." } }, { status: 503 });
      }
    }
    return typeof okBody === "string" ? new NextResponse(okBody) : NextResponse.json(okBody);
  };
}
