import { ZodError } from "zod";
import { AppError, ErrorCode, httpStatusFor, isAppError } from "@/server/domain/errors";
import { logger } from "@/server/observability/logger";

/** The error body of SPEC §7, the same from every adapter (REST, tRPC, embed, webhooks, GraphQL). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export interface HttpError {
  status: number;
  body: ErrorBody;
}

/**
 * Any thrown value → the error model of SPEC §7: an AppError as it is, a zod refusal as
 * VALIDATION_FAILED with its issues, anything else INTERNAL. An adapter unwraps its framework's own
 * errors first (tRPC: server/api/error-mapping.ts).
 */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) {
    return new AppError(ErrorCode.VALIDATION_FAILED, "The request is invalid.", error.issues.map((i) => ({
      path: i.path.join("."),
      message: i.message,
    })));
  }
  return new AppError(ErrorCode.INTERNAL, "Something went wrong on our side; nothing was changed.");
}

/** Any thrown value → its HTTP status and body: the one place every adapter maps errors. */
export function toHttpError(error: unknown): HttpError {
  const e = toAppError(error);
  if (e.code === ErrorCode.INTERNAL) logger().error({ err: error }, "internal error");
  const body: ErrorBody = { error: { code: e.code, message: e.message } };
  if (e.details !== undefined) body.error.details = e.details;
  return { status: httpStatusFor[e.code], body };
}

/** toHttpError as a JSON response. */
export function httpErrorResponse(error: unknown, headers?: HeadersInit): Response {
  const { status, body } = toHttpError(error);
  return Response.json(body, { status, headers });
}
