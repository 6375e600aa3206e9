import { describe, expect, it } from "vitest";
import { AppError, ErrorCode, httpStatusFor, isAppError } from "./errors";

describe("ErrorCode", () => {
  it("uses the key as the value", () => {
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key);
  });

  it("maps every code to its HTTP status", () => {
    expect(httpStatusFor).toEqual({
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
    });
  });
});

describe("AppError", () => {
  it("carries code, message and details", () => {
    const e = new AppError(ErrorCode.NOT_FOUND, "Order not found", { orderId: "o1" });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toBe("Order not found");
    expect(e.details).toEqual({ orderId: "o1" });
    expect(e.name).toBe("AppError");
  });

  it("leaves details undefined when none are given", () => {
    expect(new AppError(ErrorCode.INTERNAL, "x").details).toBeUndefined();
  });

  it("is recognised by isAppError, also across module copies", () => {
    expect(isAppError(new AppError(ErrorCode.FORBIDDEN, "no"))).toBe(true);
    const copy = Object.assign(new Error("copy"), { name: "AppError", code: "STALE_PREVIEW" });
    expect(isAppError(copy)).toBe(true);
    expect(isAppError(Object.assign(new Error("x"), { name: "AppError", code: "NOPE" }))).toBe(false);
    expect(isAppError(new Error("plain"))).toBe(false);
    expect(isAppError({ code: "NOT_FOUND", name: "AppError" })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });
});
