import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { AppError, ErrorCode, httpStatusFor, isAppError } from "@/server/domain/errors";

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

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

/** Any thrown value → the error model of SPEC §7. The one place that decides. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof TRPCError) {
    if (isAppError(error.cause) || error.cause instanceof ZodError) return toAppError(error.cause);
    const code = TRPC_PROTOCOL_ERRORS[error.code];
    if (code) return new AppError(code, error.message);
  }
  if (error instanceof ZodError) {
    return new AppError(ErrorCode.VALIDATION_FAILED, "The request is invalid.", error.issues.map((i) => ({
      path: i.path.join("."),
      message: i.message,
    })));
  }
  return new AppError(ErrorCode.INTERNAL, "Something went wrong on our side; nothing was changed.");
}

export function errorResponse(error: unknown): { status: number; body: ErrorBody } {
  const e = toAppError(error);
  if (e.code === ErrorCode.INTERNAL) console.error(error);
  const body: ErrorBody = { error: { code: e.code, message: e.message } };
  if (e.details !== undefined) body.error.details = e.details;
  return { status: httpStatusFor[e.code], body };
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
