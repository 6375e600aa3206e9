import { NextResponse } from "next/server";
import type { Actor, ApiScope } from "@/server/auth/permissions";
import { hasScope } from "@/server/auth/permissions";
import { requestMeta, resolveActor } from "@/server/auth/session-actor";
import { getDb, type Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { errorResponse } from "@/server/api/error-mapping";
import { assertNotThrottled, recordAuthFailure } from "./auth-throttle";

export interface RestContext {
  db: Db;
  actor: Actor;
  req: Request;
  params: Record<string, string>;
}

type RouteContext = { params: Promise<Record<string, string>> };

export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) throw new AppError(ErrorCode.VALIDATION_FAILED, "The request body is empty; JSON expected.");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.VALIDATION_FAILED, "The request body is not valid JSON.");
  }
}

/** A JSON body that may be absent (approve takes an optional note). */
export async function readOptionalJson(req: Request): Promise<unknown> {
  const text = await req.clone().text();
  return text.trim() ? readJson(req) : {};
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
    try {
      const meta = requestMeta(req.headers);
      const address = meta.ip ?? "unknown";
      if (meta.authorization) assertNotThrottled(address);
      const actor = await resolveActor(meta);
      if (!actor) {
        if (meta.authorization) recordAuthFailure(address);
        throw new AppError(ErrorCode.UNAUTHENTICATED, "Authenticate with a session or `Authorization: Bearer <api key>`.");
      }
      if (!hasScope(actor, scope)) throw new AppError(ErrorCode.FORBIDDEN, `This API key lacks the ${scope} scope.`);
      const params = route?.params ? await route.params : {};
      const result = await handler({ db: getDb(), actor, req, params });
      return NextResponse.json(result.body, { status: result.status, headers: result.headers });
    } catch (error) {
      const { status, body } = errorResponse(error);
      const retryAfter = (body.error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      return NextResponse.json(body, { status, headers: retryAfter ? { "Retry-After": String(retryAfter) } : undefined });
    }
  };
}
