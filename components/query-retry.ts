/**
 * TanStack Query's retry policy for tRPC queries: an answer the server gave on purpose (a 4xx:
 * not found, forbidden, invalid) is final, so the screen shows it at once; a 5xx or a network
 * failure is retried once.
 */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: unknown } } | null)?.data?.httpStatus;
  if (typeof status === "number" && status >= 400 && status < 500) return false;
  return failureCount < 1;
}
