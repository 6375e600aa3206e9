import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { apiClient, callRoute } from "@/test/rest";
import { importForTest, simpleOrder } from "@/test/saga-harness";
import { GET as orderRoute } from "@/app/api/v1/orders/[orderId]/route";
import { configHeadersFor, directRoutes } from "./direct-routes";

// serve.ts's arrangement: the direct routes first, Next for whatever they leave (here a stand-in that says so).
let server: http.Server;
let base = "";
beforeAll(async () => {
  const direct = await directRoutes();
  server = http.createServer((req, res) => {
    if (direct(req, res)) return;
    req.resume();
    res.writeHead(299, { "content-type": "text/plain" }).end("next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request = { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" };

function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string; chunked?: boolean } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: init.method ?? "POST", headers: { "content-type": "application/json", ...init.headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on("error", reject);
    if (init.chunked) req.setHeader("transfer-encoding", "chunked");
    else if (init.body !== undefined) req.setHeader("content-length", Buffer.byteLength(init.body));
    req.end(init.body);
  });
}

describe("direct routes (scripts/serve.ts, past Next's router)", () => {
  it("a preview by API key is the route handler's own answer, with the headers next.config.js gives /api", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(5));
    const path = `/api/v1/orders/${orderId}/cancel-partial/preview`;
    const direct = await send(path, { headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(request) });
    const handler = await callRoute(previewRoute, { key, params: { orderId }, body: request, path });
    expect(direct.status).toBe(200);
    expect(JSON.parse(direct.text)).toEqual(handler.body);
    expect(direct.headers["content-length"]).toBe(String(Buffer.byteLength(direct.text)));
    expect(direct.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(direct.headers["x-frame-options"]).toBe("DENY");
    expect(direct.headers["x-content-type-options"]).toBe("nosniff");
    expect(direct.headers["ratelimit-limit"]).toBeDefined();
    expect(direct.headers["x-request-id"]).toMatch(/^[\w-]{36}$/);
    // Refusals too: an unknown key, a body that is not JSON, an id that is no order.
    expect(await send(path, { headers: { authorization: "Bearer pck_unknown" }, body: "{}" })).toMatchObject({ status: 401 });
    expect(JSON.parse((await send(path, { headers: { authorization: `Bearer ${key}` }, body: "{bad" })).text)).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    expect(await send("/api/v1/orders/no-such-order/cancel-partial/preview?x=1", { headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(request) })).toMatchObject({ status: 404 });
    // A Host header that is no host is not the client's way to a 500 (new Request would throw on it).
    for (const host of ["bad host", "x:99999"]) {
      const answer = await send(path, { headers: { authorization: `Bearer ${key}`, host }, body: JSON.stringify(request) });
      expect(answer.status, host).toBe(200);
      expect(JSON.parse(answer.text), host).toEqual(handler.body);
    }
  });

  it("the rest of a cancellation's round by API key, import, submit, the order and the cancellation, answers as its route handler does", async () => {
    const { key } = await apiClient();
    const auth = { authorization: `Bearer ${key}` };
    const order = { ...simpleOrder(5), externalId: `DIRECT-${randomUUID()}`, storeId: `STORE-${randomUUID()}` };
    const imported = await send("/api/v1/orders", { headers: auth, body: JSON.stringify({ ...order, tenders: order.tenders.map((t) => ({ ...t, providerReference: `pi_${randomUUID()}` })) }) });
    expect(imported.status).toBe(201);
    expect(imported.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    const { orderId } = JSON.parse(imported.text) as { orderId: string };
    // The same import again is the handler's refusal, not Next's.
    expect(JSON.parse((await send("/api/v1/orders", { headers: auth, body: JSON.stringify({ ...order, tenders: order.tenders.map((t) => ({ ...t, providerReference: `pi_${randomUUID()}` })) }) })).text)).toMatchObject({ error: { code: "ORDER_ALREADY_EXISTS" } });

    const submitted = await send(`/api/v1/orders/${orderId}/cancel-partial?wait=0`, { headers: { ...auth, "idempotency-key": randomUUID() }, body: JSON.stringify(request) });
    expect(submitted.status).toBe(201);
    expect(submitted.headers["x-frame-options"]).toBe("DENY");
    const { cancellationId } = JSON.parse(submitted.text) as { cancellationId: string };
    expect(JSON.parse((await send(`/api/v1/orders/${orderId}/cancel-partial?wait=x`, { headers: { ...auth, "idempotency-key": randomUUID() }, body: JSON.stringify(request) })).text)).toMatchObject({ error: { code: "VALIDATION_FAILED" } });

    const got = await send(`/api/v1/orders/${orderId}`, { method: "GET", headers: auth });
    expect(got.status).toBe(200);
    expect(JSON.parse(got.text)).toEqual((await callRoute(orderRoute, { key, params: { orderId } })).body);
    const status = await send(`/api/v1/orders/${orderId}/cancellations/${cancellationId}`, { method: "GET", headers: auth });
    expect(status.status).toBe(200);
    expect(JSON.parse(status.text)).toMatchObject({ cancellationId, orderId });
    expect(await send(`/api/v1/orders/${orderId}`, { method: "GET", headers: { authorization: "Bearer pck_unknown" } })).toMatchObject({ status: 401 });
  });

  it("everything else is left to Next: a session's preview, another method or route, a path Next would redirect or decode, a body without Content-Length", async () => {
    const { key } = await apiClient();
    const auth = { authorization: `Bearer ${key}` };
    const body = JSON.stringify(request);
    const id = "2b0f8e0e-6f3a-4c55-9d4e-0d1c7b7f8a11";
    const left = [
      await send(`/api/v1/orders/${id}/cancel-partial/preview`, { headers: { cookie: "next-auth.session-token=x" }, body }),
      await send(`/api/v1/orders/${id}/cancel-partial/preview`, { method: "GET", headers: auth }),
      await send(`/api/v1/orders/${id}/cancel-partial/other`, { headers: auth, body }),
      await send(`/api/v1/orders/${id}`, { method: "DELETE", headers: auth }),
      await send(`/api/v1/orders/${id}`, { method: "GET", headers: { cookie: "next-auth.session-token=x" } }),
      await send(`/api/v1/orders/${id}`, { method: "GET", headers: auth, body: "{}" }),
      await send(`/api/v1/orders/${id}/`, { method: "GET", headers: auth }),
      await send("/api/v1/orders/", { headers: auth, body }),
      await send(`/api/v1/orders/${id}/cancel-partial/preview/`, { headers: auth, body }),
      await send(`/api/v1/orders/${encodeURIComponent("a/b")}/cancel-partial/preview`, { headers: auth, body }),
      await send(`/api/v1/orders/${id}/cancel-partial/preview`, { headers: auth, body, chunked: true }),
    ];
    expect(left.map((r) => `${r.status} ${r.text}`)).toEqual(Array(left.length).fill("299 next"));
  });

  it("takes /api's headers from next.config.js, whose rules it cannot decide with conditions refused", async () => {
    expect(await configHeadersFor("/api/v1/orders/x/cancel-partial/preview")).toMatchObject({
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "x-frame-options": "DENY",
      "referrer-policy": "same-origin",
    });
    await expect(configHeadersFor("/api/x", { headers: async () => [{ source: "/api/:path*", has: [{ type: "header", key: "x" }], headers: [] }] })).rejects.toThrow(/conditions/);
  });
});
