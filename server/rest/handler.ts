import { NextResponse } from "next/server";
import type { Actor, ApiScope } from "@/server/auth/permissions";
import { hasScope } from "@/server/auth/permissions";
import { assertSameOriginWrite, writeOriginOf } from "@/server/auth/csrf";
import { requestMeta, resolveActor } from "@/server/auth/session-actor";
import { getDb, type Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { errorResponse } from "@/server/api/error-mapping";
import { assertStorableStrings, parseJsonText, readBodyText } from "@/server/api/request-body";
import { countUnknownKey, rateLimitHeaders, type RateState, takeCallerToken } from "./rate-limit";

export interface RestContext {
  db: Db;
  actor: Actor;
  req: Request;
  params: Record<string, string>;
}

type RouteContext = { params: Promise<Record<string, string>> };

/** The JSON body, within the size and depth limits of server/api/request-body.ts. */
export async function readJson(req: Request): Promise<unknown> {
  return parseJsonText(await readBodyText(req));
}

/** A JSON body that may be absent (approve takes an optional note). */
export async function readOptionalJson(req: Request): Promise<unknown> {
  const text = await readBodyText(req);
  return text.trim() ? parseJsonText(text) : {};
}

/**
 * Wraps a REST route: authenticates (API key or session), checks the scope an
 * API key needs, runs the handler and maps every error to SPEC §7's body.
 */
export function restRoute(
  scope: ApiScope,
  handler: (ctx: RestContext) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>,
) {
  return async (req: Request, route: RouteContext) => {
    let rate: RateState | undefined;
    try {
      const meta = requestMeta(req.headers);
      const actor = await resolveActor(meta);
      if (!actor) {
        // Counted after the lookup, so an address's failed keys never lock out its valid ones.
        if (meta.authorization) await countUnknownKey(meta.ip ?? "unknown");
        throw new AppError(ErrorCode.UNAUTHENTICATED, "Authenticate with a session or `Authorization: Bearer <api key>`.");
      }
      rate = await takeCallerToken(getDb(), actor);
      if (actor.kind !== "api_key") assertSameOriginWrite(writeOriginOf(req));
      if (!hasScope(actor, scope)) throw new AppError(ErrorCode.FORBIDDEN, `This API key lacks the ${scope} scope.`);
      const params = route?.params ? await route.params : {};
      assertStorableStrings(params);
      assertStorableStrings(Object.fromEntries(new URL(req.url).searchParams), "query");
      const result = await handler({ db: getDb(), actor, req, params });
      return NextResponse.json(result.body, { status: result.status, headers: { ...rateLimitHeaders(rate), ...result.headers } });
    } catch (error) {
      const { status, body } = errorResponse(error);
      const details = body.error.details as { retryAfterSeconds?: number; limit?: number; resetSeconds?: number } | undefined;
      const limited = status === 429 && details?.limit !== undefined ? { limit: details.limit, remaining: 0, resetSeconds: details.resetSeconds ?? 1 } : rate;
      return NextResponse.json(body, { status, headers: rateLimitHeaders(limited, details?.retryAfterSeconds) });
    }
  };
}
