import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { AppError, ErrorCode, isAppError } from "@/server/domain/errors";
import { type HttpError, toHttpError } from "@/server/http/errors";

// tRPC's own refusals (unknown procedure, wrong method, bad JSON or superjson meta) are the
// caller's mistakes: 4xx with tRPC's message, never INTERNAL.
const TRPC_PROTOCOL_ERRORS: Partial<Record<TRPCError["code"], ErrorCode>> = {
  PARSE_ERROR: ErrorCode.VALIDATION_FAILED,
  BAD_REQUEST: ErrorCode.VALIDATION_FAILED,
  UNSUPPORTED_MEDIA_TYPE: ErrorCode.VALIDATION_FAILED,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  METHOD_NOT_SUPPORTED: ErrorCode.METHOD_NOT_ALLOWED,
  PAYLOAD_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
};

/** A TRPCError → the AppError (or zod refusal) it wraps or stands for; anything else as it is. */
function unwrapTrpcError(error: unknown): unknown {
  if (!(error instanceof TRPCError)) return error;
  if (isAppError(error.cause) || error.cause instanceof ZodError) return error.cause;
  const code = TRPC_PROTOCOL_ERRORS[error.code];
  return code ? new AppError(code, error.message) : error;
}

/** tRPC's errors → SPEC §7, through the same toHttpError as every other adapter. */
export function trpcErrorResponse(error: unknown): HttpError {
  return toHttpError(unwrapTrpcError(error));
}

const TRPC_CODES = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  422: "UNPROCESSABLE_CONTENT",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
} as const;

export function trpcCodeFor(status: number) {
  return TRPC_CODES[status as keyof typeof TRPC_CODES] ?? "INTERNAL_SERVER_ERROR";
}
