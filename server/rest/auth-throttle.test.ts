import { expect, it } from "vitest";
import { GET as getOrderRoute } from "@/app/api/v1/orders/[orderId]/route";
import { apiClient, callRoute } from "@/test/rest";

it("answers 429 with Retry-After once an address sent too many unknown API keys, and lets other addresses through", async () => {
  const { key } = await apiClient();
  const call = (k: string, ip: string) =>
    getOrderRoute(
      new Request("http://localhost/api/v1/orders/x", { headers: { authorization: `Bearer ${k}`, "x-forwarded-for": ip } }),
      { params: Promise.resolve({ orderId: "x" }) },
    );
  for (let i = 0; i < 30; i++) expect((await call(`pck_guess_${i}`, "203.0.113.7")).status).toBe(401);
  const throttled = await call("pck_guess_more", "203.0.113.7");
  expect(throttled.status).toBe(429);
  expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
  expect((await throttled.json()).error.code).toBe("RATE_LIMITED");
  // Even a valid key waits from that address; another address is unaffected.
  expect((await call(key, "203.0.113.7")).status).toBe(429);
  expect((await call(key, "203.0.113.8")).status).toBe(404);
  expect((await callRoute(getOrderRoute, { key, params: { orderId: "x" } })).status).toBe(404);
});
