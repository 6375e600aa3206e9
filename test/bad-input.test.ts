import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { GET as listCancellationsRoute } from "@/app/api/v1/orders/[orderId]/cancellations/route";
import { POST as importRoute } from "@/app/api/v1/orders/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from "@/server/http/request-body";
import { EARLIEST_FILTER_DATE, LATEST_FILTER_DATE } from "@/server/domain/date-range";
import { apiClient, callRoute, importUnique } from "./rest";
import { simpleOrder } from "./saga-harness";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId }, expires: new Date(Date.now() + 60_000).toISOString() } : null),
}));

type ErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

let key: string;
let userId: string;
let orderId: string;
beforeAll(async () => {
  const client = await apiClient();
  key = client.key;
  userId = client.user.id;
  ({ orderId } = await importUnique(key, simpleOrder(3)));
});

const importBody = () => ({ ...simpleOrder(2), externalId: `BAD-${Math.random()}` });

describe("strings PostgreSQL cannot store", () => {
  it.each([
    ["a NUL in the customer's name", (b: ReturnType<typeof importBody>) => ({ ...b, customer: { ...b.customer, name: "Ada\u0000" } }), "customer.name"],
    ["a lone high surrogate in a SKU", (b: ReturnType<typeof importBody>) => ({ ...b, lines: [{ ...b.lines[0]!, sku: "SKU-\ud800" }] }), "lines.0.sku"],
    ["a lone low surrogate in a key", (b: ReturnType<typeof importBody>) => ({ ...b, "\udc00": 1 }), "(key)"],
  ])("%s → 400 VALIDATION_FAILED naming the field", async (_, mutate, field) => {
    const { status, body } = await callRoute<ErrorBody>(importRoute, { key, body: mutate(importBody()) });
    expect(status).toBe(400);
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.details?.[0]?.path).toBe(field);
  });

  it("a NUL in a note or a query parameter → 400 naming it", async () => {
    const preview = await callRoute<ErrorBody>(previewRoute, {
      key,
      params: { orderId },
      body: { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", note: "x\u0000", refundMethod: "original" },
    });
    expect(preview.status).toBe(400);
    expect(preview.body.error.details?.[0]?.path).toBe("note");
    const list = await callRoute<ErrorBody>(listCancellationsRoute, { key, params: { orderId }, path: "/api/v1/x?status=%00" });
    expect(list.status).toBe(400);
    expect(list.body.error.details?.[0]?.path).toBe("query.status");
  });
});

describe("dates, amounts and quantities out of range", () => {
  it.each(["0000-01-01", "9999-12-31", "1999-12-31", "2200-01-01"])("dateFrom=%s → 400", async (date) => {
    const { status, body } = await callRoute<ErrorBody>(listCancellationsRoute, { key, params: { orderId }, path: `/api/v1/x?dateFrom=${date}` });
    expect(status).toBe(400);
    expect(body.error.details?.[0]?.message).toContain(`between ${EARLIEST_FILTER_DATE} and ${LATEST_FILTER_DATE}`);
  });

  it("accepts the range's ends", async () => {
    const { status } = await callRoute(listCancellationsRoute, { key, params: { orderId }, path: `/api/v1/x?dateFrom=${EARLIEST_FILTER_DATE}&dateTo=${LATEST_FILTER_DATE}` });
    expect(status).toBe(200);
  });

  // Amounts and quantities above MAX_MINOR_UNITS: server/orders/import-order.test.ts.
  it("a quantity that is not a safe integer → 400, on import and on preview", async () => {
    const body = importBody();
    const { status, body: answer } = await callRoute<ErrorBody>(importRoute, { key, body: { ...body, lines: [{ ...body.lines[0]!, quantity: 2 ** 53 }] } });
    expect(status).toBe(400);
    expect(answer.error.details?.[0]?.path).toBe("lines.0.quantity");
    const preview = await callRoute<ErrorBody>(previewRoute, { key, params: { orderId }, body: { orderLineIds: ["1"], quantities: [1e300], reason: "CUSTOMER_REQUEST", refundMethod: "original" } });
    expect(preview.status).toBe(400);
  });
});

describe("bodies too large or too deep", () => {
  it(`a REST body over ${MAX_BODY_BYTES} bytes → 413, by its Content-Length or by what arrives`, async () => {
    const big = JSON.stringify({ ...importBody(), padding: "x".repeat(MAX_BODY_BYTES) });
    const declared = await callRoute<ErrorBody>(importRoute, { key, rawBody: big });
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    // A streamed body has no Content-Length: the limit is counted while reading.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(100_000)));
        controller.close();
      },
    });
    const req = new Request("http://localhost/api/v1/orders", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    const streamed = await importRoute(req, { params: Promise.resolve({}) });
    expect(streamed.status).toBe(413);
  });

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} → 400 on REST, webhooks and tRPC`, async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const rest = await callRoute<ErrorBody>(importRoute, { key, rawBody: deep });
    expect(rest.status).toBe(400);
    expect(rest.body.error.message).toContain(`deeper than ${MAX_JSON_DEPTH}`);
    const webhook = await stripeWebhook(new Request("http://localhost/api/webhooks/stripe", { method: "POST", body: deep }));
    expect(webhook.status).toBe(400);
    const trpc = await trpcPost(new Request("http://localhost/api/trpc/cancellation.submit", { method: "POST", headers: { "content-type": "application/json" }, body: deep }));
    expect(trpc.status).toBe(400);
    expect(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`).toHaveLength(2 * MAX_JSON_DEPTH);
    expect((await callRoute(importRoute, { key, rawBody: `{"a":${"[".repeat(MAX_JSON_DEPTH - 1)}${"]".repeat(MAX_JSON_DEPTH - 1)}}` })).status).toBe(400);
  });

  it("a webhook body over the limit → 413", async () => {
    const response = await stripeWebhook(new Request("http://localhost/api/webhooks/stripe", { method: "POST", body: "x".repeat(MAX_BODY_BYTES + 1) }));
    expect(response.status).toBe(413);
  });
});

describe("tRPC protocol errors", () => {
  const call = async (path: string, init: RequestInit & { query?: string } = {}) => {
    session.userId = userId;
    try {
      const headers = new Headers(init.headers);
      if (init.method === "POST" && !headers.has("content-type")) headers.set("content-type", "application/json");
      if (!headers.has("origin")) headers.set("origin", "http://localhost");
      const req = new Request(`http://localhost/api/trpc/${path}${init.query ?? ""}`, { ...init, headers });
      const response = await (init.method === "POST" ? trpcPost : trpcGet)(req);
      const text = await response.text();
      return { status: response.status, text, body: JSON.parse(text) as { error: { json: { message: string; data: { appError: { code: string }; stack?: string } } } } };
    } finally {
      session.userId = null;
    }
  };

  it.each([
    ["an unknown procedure", "order.nope", {}, 404, "NOT_FOUND"],
    ["a POST to a query", "order.get", { method: "POST", body: JSON.stringify({ json: { orderId: "x" } }) }, 405, "METHOD_NOT_ALLOWED"],
    ["a GET of a mutation", "cancellation.submit", { query: "?input=%7B%7D" }, 405, "METHOD_NOT_ALLOWED"],
    ["a wrong content type", "cancellation.approve", { method: "POST", headers: { "content-type": "text/xml" }, body: "<x/>" }, 400, "VALIDATION_FAILED"],
    ["an empty body", "cancellation.approve", { method: "POST", body: "" }, 400, "VALIDATION_FAILED"],
    ["malformed JSON", "cancellation.approve", { method: "POST", body: "{\"json\":" }, 400, "VALIDATION_FAILED"],
    ["malformed JSON in a query's input", "order.get", { query: "?input=%7B%22json" }, 400, "VALIDATION_FAILED"],
    ["null input", "order.get", { query: "?input=null" }, 400, "VALIDATION_FAILED"],
    ["bad superjson meta", "order.get", { query: `?input=${encodeURIComponent('{"json":{"orderId":"x"},"meta":{"values":{"orderId":[["custom","nope"]]}}}')}` }, 400, "VALIDATION_FAILED"],
    ["superjson meta that is not an object", "order.get", { query: `?input=${encodeURIComponent('{"json":{"orderId":1},"meta":"garbage"}')}` }, 400, "VALIDATION_FAILED"],
    ["a NUL in the input", "order.get", { query: `?input=${encodeURIComponent('{"json":{"orderId":"\\u0000"}}')}` }, 400, "VALIDATION_FAILED"],
  ] as const)("%s → a 4xx with its code, without a stack trace", async (_, path, init, status, code) => {
    const answer = await call(path, init as RequestInit & { query?: string });
    expect(answer.status).toBe(status);
    expect(answer.body.error.json.data.appError.code).toBe(code);
    expect(answer.body.error.json.data.stack).toBeUndefined();
    expect(answer.text).not.toMatch(/\n\s+at /);
  });
});
