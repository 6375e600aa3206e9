import { assertSameOriginWrite, writeOriginOf } from "@/server/auth/csrf";
import type { Actor } from "@/server/auth/permissions";
import { requestMeta, resolveActor } from "@/server/auth/session-actor";
import { getDb, type Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { httpErrorResponse } from "@/server/http/errors";
import { observedRoute } from "@/server/observability/observed-route";

/**
 * The admin routes of embed clients. A CRM client can open sessions as any agent, so, like
 * the audit export, registering one is a signed-in person's act (an admin with a second
 * factor): API keys are refused. The use-cases check the permission.
 */
export function embedAdminRoute(handler: (ctx: { db: Db; actor: Actor; req: Request; params: Record<string, string> }) => Promise<{ status: number; body: unknown }>) {
  return observedRoute(async (req: Request, route?: { params: Promise<Record<string, string>> }) => {
    try {
      const actor = await resolveActor(requestMeta(req.headers));
      if (!actor) throw new AppError(ErrorCode.UNAUTHENTICATED, "Sign in first.");
      if (actor.kind !== "user" || actor.channel !== "web") throw new AppError(ErrorCode.FORBIDDEN, "Embed clients are managed by a signed-in admin, not by API keys or embedded sessions.");
      assertSameOriginWrite(writeOriginOf(req));
      const result = await handler({ db: getDb(), actor, req, params: route?.params ? await route.params : {} });
      return Response.json(result.body, { status: result.status, headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      return httpErrorResponse(error);
    }
  });
}
