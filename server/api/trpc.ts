import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { type Actor, hasPermission, type Permission } from "@/server/auth/permissions";
import { requestMeta, resolveActor } from "@/server/auth/session-actor";
import { addLogContext } from "@/server/observability/logger";
import { getConfig } from "@/server/config";
import { getDb, type Db } from "@/server/db/client";
import { takeCallerToken } from "@/server/rest/rate-limit";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { trpcCodeFor, trpcErrorResponse } from "./error-mapping";
import { assertStorableStrings } from "@/server/http/request-body";

export interface Context {
  db: Db;
  actor: Actor | null;
}

/**
 * tRPC serves the browser: only a session (or an embed session) signs a caller
 * in. Machines use the REST API, where API-key scopes are checked.
 */
export async function createContext({ req }: { req: Request }): Promise<Context> {
  const actor = await resolveActor({ ...requestMeta(req.headers), authorization: null });
  if (actor) addLogContext({ actorId: actor.userId });
  return { db: getDb(), actor };
}

// Stack traces only where a developer reads them (`next dev`), never in tests or production.
const isDev = getConfig().nodeEnv === "development";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  isDev,
  errorFormatter({ shape, error }) {
    const { status, body } = trpcErrorResponse(error);
    const { stack, ...data } = shape.data;
    return { ...shape, message: body.error.message, data: { ...data, ...(isDev ? { stack } : {}), httpStatus: status, appError: body.error } };
  },
});

// PostgreSQL cannot store NUL or unpaired surrogates: refused here for every procedure's input.
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  assertStorableStrings(await getRawInput(), "input");
  return next();
});

// AppErrors thrown by use-cases (and tRPC's own refusals of bad input) become TRPCErrors with the matching code.
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const cause = result.ok ? undefined : result.error.cause;
  if (!result.ok && cause && !(cause instanceof TRPCError)) {
    const { status, body } = trpcErrorResponse(result.error);
    throw new TRPCError({ code: trpcCodeFor(status), message: body.error.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors).use(storableInput);

export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.actor) throw new AppError(ErrorCode.UNAUTHENTICATED, "Sign in first.");
  // The signed-in person's bucket (server/rest/rate-limit.ts), shared with their REST calls.
  await takeCallerToken(ctx.db, ctx.actor);
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

export function permissionProcedure(permission: Permission) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!hasPermission(ctx.actor, permission)) {
      throw new AppError(ErrorCode.FORBIDDEN, `This needs the ${permission} permission.`);
    }
    return next();
  });
}
