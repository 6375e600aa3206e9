import type { Actor, ApiScope } from "@/server/auth/permissions";
import { hasScope } from "@/server/auth/permissions";
import { assertSameOriginWrite, writeOriginOf } from "@/server/auth/csrf";
import { requestMeta, resolveActor } from "@/server/auth/session-actor";
import { getDb, type Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { toHttpError } from "@/server/http/errors";
import { assertStorableStrings, parseJsonText, readBodyText } from "@/server/http/request-body";
import { observedRoute } from "@/server/observability/observed-route";
import { addLogContext } from "@/server/observability/logger";
import { countUnknownKey, rateLimitHeaders, type RateState, takeCallerToken } from "./rate-limit";

export interface RestContext {
  db: Db;
  actor: Actor;
  req: Request;
  params: Record<string, string>;
}

type RouteContext = { params: Promise<Record<string, string>> };

// Below this size an answer goes out uncompressed: Next's gzip costs a zlib stream per answer
// (about 0.5 ms of the server's CPU and as much of the client's for a 3 kB preview, on the 2-core
// machine) to save a kilobyte or two of loopback or LAN. Larger answers (lists) are still
// compressed. `no-transform` is what the compression middleware, and any proxy, leave alone.
const COMPRESS_FROM_CHARS = 8 * 1024;

/** A JSON answer, as NextResponse.json, sent uncompressed when it is small. */
export function jsonAnswer(body: unknown, init: { status: number; headers?: Record<string, string> }): Response {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json", ...(text.length < COMPRESS_FROM_CHARS ? { "cache-control": "no-transform" } : {}), ...init.headers };
  return new Response(text, { status: init.status, headers });
}

/** The JSON body, within the size and depth limits of server/http/request-body.ts. */
export async function readJson(req: Request): Promise<unknown> {
  return parseJsonText(await readBodyText(req));
}

/** A JSON body that may be absent (approve takes an optional note). */
export async function readOptionalJson(req: Request): Promise<unknown> {
  const text = await readBodyText(req);
  return text.trim() ? parseJsonText(text) : {};
}

/**
 * Who is calling, under the rules every HTTP adapter (REST, GraphQL) shares: an API key or a
 * session (browser or CRM frame), one token from the caller's rate-limit bucket, and SPEC §7's
 * CSRF rule for a write signed in by cookie. Scopes are the adapter's to check.
 */
export async function authenticateCaller(req: Request): Promise<{ actor: Actor; rate: RateState }> {
  const meta = requestMeta(req.headers);
  const actor = await resolveActor(meta);
  if (!actor) {
    // Counted after the lookup, so an address's failed keys never lock out its valid ones.
    if (meta.authorization) await countUnknownKey(meta.ip ?? "unknown");
    throw new AppError(ErrorCode.UNAUTHENTICATED, "Authenticate with a session or `Authorization: Bearer <api key>`.");
  }
  const rate = await takeCallerToken(getDb(), actor);
  if (actor.kind !== "api_key") assertSameOriginWrite(writeOriginOf(req));
  return { actor, rate };
}

/** The rate-limit headers of a refusal: a 429's own figures and Retry-After, else the caller's bucket. */
export function refusalHeaders(status: number, errorDetails: unknown, rate: RateState | undefined): Record<string, string> {
  const details = errorDetails as { retryAfterSeconds?: number; limit?: number; resetSeconds?: number } | undefined;
  const limited = status === 429 && details?.limit !== undefined ? { limit: details.limit, remaining: 0, resetSeconds: details.resetSeconds ?? 1 } : rate;
  return rateLimitHeaders(limited, details?.retryAfterSeconds);
}

/**
 * Wraps a REST route: authenticates (API key or session), checks the scope an
 * API key needs, runs the handler and maps every error to SPEC §7's body.
 */
export function restRoute(
  scope: ApiScope,
  handler: (ctx: RestContext) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>,
) {
  return observedRoute(async (req: Request, route: RouteContext) => {
    let rate: RateState | undefined;
    try {
      const caller = await authenticateCaller(req);
      const actor = caller.actor;
      rate = caller.rate;
      addLogContext({ actorId: actor.userId });
      if (!hasScope(actor, scope)) throw new AppError(ErrorCode.FORBIDDEN, `This API key lacks the ${scope} scope.`);
      const params = route?.params ? await route.params : {};
      assertStorableStrings(params);
      assertStorableStrings(Object.fromEntries(new URL(req.url).searchParams), "query");
      const result = await handler({ db: getDb(), actor, req, params });
      return jsonAnswer(result.body, { status: result.status, headers: { ...rateLimitHeaders(rate), ...result.headers } });
    } catch (error) {
      const { status, body } = toHttpError(error);
      return jsonAnswer(body, { status, headers: refusalHeaders(status, body.error.details, rate) });
    }
  });
}
