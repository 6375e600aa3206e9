/**
 * The one typed domain error of the project. Every layer throws `AppError`; the HTTP status
 * (and the tRPC code derived from it) is decided here and nowhere else.
 */
export const ErrorCode = {
  VALIDATION_FAILED: "VALIDATION_FAILED",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  ORDER_ALREADY_EXISTS: "ORDER_ALREADY_EXISTS",
  /** A provider reference already pays another order, or a gift card / store credit belongs to another customer. */
  TENDER_REFERENCE_IN_USE: "TENDER_REFERENCE_IN_USE",
  QUANTITY_EXCEEDS_CANCELLABLE: "QUANTITY_EXCEEDS_CANCELLABLE",
  STALE_PREVIEW: "STALE_PREVIEW",
  INVALID_STATE: "INVALID_STATE",
  ORDER_NOT_CANCELLABLE: "ORDER_NOT_CANCELLABLE",
  INSUFFICIENT_REFUNDABLE: "INSUFFICIENT_REFUNDABLE",
  IDEMPOTENCY_KEY_REQUIRED: "IDEMPOTENCY_KEY_REQUIRED",
  IDEMPOTENCY_KEY_IN_USE: "IDEMPOTENCY_KEY_IN_USE",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  SELF_APPROVAL_FORBIDDEN: "SELF_APPROVAL_FORBIDDEN",
  MANAGER_LIMIT_EXCEEDED: "MANAGER_LIMIT_EXCEEDED",
  NOT_REQUESTER: "NOT_REQUESTER",
  CANCELLATION_NOT_PENDING: "CANCELLATION_NOT_PENDING",
  OVERRIDE_FORBIDDEN: "OVERRIDE_FORBIDDEN",
  OVERRIDE_NOT_APPLICABLE: "OVERRIDE_NOT_APPLICABLE",
  ACCOUNT_LOCKED: "ACCOUNT_LOCKED",
  RATE_LIMITED: "RATE_LIMITED",
  /** A session-cookie write from another origin or without a JSON content type (SPEC §7). */
  CSRF_REJECTED: "CSRF_REJECTED",
  /** The body exceeds MAX_BODY_BYTES (server/http/request-body.ts). */
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  /** A GraphQL operation deeper or costlier than the limits of server/graphql/limits.ts. */
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  INTERNAL: "INTERNAL",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const httpStatusFor: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ORDER_ALREADY_EXISTS: 409,
  TENDER_REFERENCE_IN_USE: 409,
  QUANTITY_EXCEEDS_CANCELLABLE: 409,
  STALE_PREVIEW: 409,
  INVALID_STATE: 409,
  ORDER_NOT_CANCELLABLE: 422,
  INSUFFICIENT_REFUNDABLE: 422,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_IN_USE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  SELF_APPROVAL_FORBIDDEN: 403,
  MANAGER_LIMIT_EXCEEDED: 403,
  NOT_REQUESTER: 403,
  CANCELLATION_NOT_PENDING: 409,
  OVERRIDE_FORBIDDEN: 403,
  OVERRIDE_NOT_APPLICABLE: 422,
  ACCOUNT_LOCKED: 401,
  RATE_LIMITED: 429,
  CSRF_REJECTED: 403,
  PAYLOAD_TOO_LARGE: 413,
  METHOD_NOT_ALLOWED: 405,
  QUERY_TOO_COMPLEX: 400,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ErrorCode, value);
}

/**
 * `instanceof` alone is not enough: Next.js can load this module twice (server bundle and
 * route bundle), giving two `AppError` classes; the name + code check covers that case.
 */
export function isAppError(e: unknown): e is AppError {
  if (e instanceof AppError) return true;
  return e instanceof Error && e.name === "AppError" && isErrorCode((e as { code?: unknown }).code);
}
