import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { shouldRetryQuery } from "@/components/query-retry";

// The shape tRPC's client error takes from server/api/trpc.ts's errorFormatter.
const trpcError = (httpStatus: number) =>
  TRPCClientError.from({ error: { message: "x", code: -32600, data: { httpStatus, code: "NOT_FOUND", appError: { code: "NOT_FOUND", message: "x" } } } } as never);

describe("the query retry policy", () => {
  it("never retries an answer the server gave on purpose (4xx)", () => {
    for (const status of [400, 401, 403, 404, 409, 422, 429]) expect(shouldRetryQuery(0, trpcError(status))).toBe(false);
  });

  it("retries a server error or a network failure once", () => {
    expect(shouldRetryQuery(0, trpcError(500))).toBe(true);
    expect(shouldRetryQuery(1, trpcError(503))).toBe(false);
    expect(shouldRetryQuery(0, new TypeError("fetch failed"))).toBe(true);
    expect(shouldRetryQuery(1, new TypeError("fetch failed"))).toBe(false);
  });
});
