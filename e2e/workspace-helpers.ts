import { type APIRequestContext, expect, type Page } from "@playwright/test";

// The accessibility helpers live in a11y.ts; specs that import them from here keep working.
export { expectNoSeriousAxeViolations, tabTo } from "./a11y";

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** The page does not scroll sideways at this width. */
export async function expectNoSideways(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

/** A cancellation through REST (SPEC §7), as the API key's user. */
export async function cancelThroughRest(request: APIRequestContext, key: string, orderId: string, lines: string[], quantities: number[], idempotencyKey: string) {
  const response = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
    headers: { ...bearer(key), "Idempotency-Key": idempotencyKey },
    data: { orderLineIds: lines, quantities, reason: "CUSTOMER_REQUEST", refundMethod: "original" },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { cancellationId: string; status: string; refundAmount: string };
}
