import { readdirSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiClient, importUnique } from "./rest";
import { exampleA, type SagaHarness, simpleOrder, startSagaHarness } from "./saga-harness";
import { startTestServer, type TestServer } from "./support/http-server";

/*
 * SPEC §7's contract: /api/v1/openapi.json is a valid OpenAPI 3.1 document (checked by a
 * maintained validator), names every route under app/api/v1, and each route's real answers from a
 * test server, successes and refusals, match the schema the document gives for their status.
 */

vi.mock("next-auth", async (original) => ({ ...(await original<typeof import("next-auth")>()), getServerSession: async () => null }));

type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
let server: TestServer;
let h: SagaHarness;
let doc: Doc;
let ajv: Ajv2020;
const checked = new Set<string>();
const keys = {} as Record<"agent" | "manager", string>;
const STORE = "STORE-OAS";

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** Calls the test server and checks the answer against the document's schema for its status. */
async function call(method: string, template: string, opts: { params?: Record<string, string>; key?: string; body?: unknown; headers?: Record<string, string>; query?: string } = {}) {
  const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(opts.params?.[name] ?? ""));
  const response = await fetch(`${server.url}${url}${opts.query ?? ""}`, {
    method,
    headers: { ...(opts.body !== undefined ? { "content-type": "application/json" } : {}), ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const body = (await response.json()) as Record<string, unknown>;
  const operation = doc.paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is in the document`).toBeDefined();
  const status = String(response.status);
  expect(Object.keys(operation!.responses), `${method} ${template} documents ${status} (${JSON.stringify(body).slice(0, 200)})`).toContain(status);
  const validate = ajv.getSchema(`openapi.json#/${pointer("paths", template, method.toLowerCase(), "responses", status, "content", "application/json", "schema")}`)!;
  expect(validate(body) ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), `${method} ${template} ${status} matches its schema`).toEqual([]);
  checked.add(`${method} ${template} ${status}`);
  return { status: response.status, body, headers: response.headers };
}

beforeAll(async () => {
  h = await startSagaHarness();
  server = await startTestServer();
  keys.agent = (await apiClient({ stores: [STORE], scopes: ["orders:read", "orders:write", "cancellations:write"] })).key;
  keys.manager = (await apiClient({ role: "store_manager", stores: [STORE], scopes: ["orders:read", "cancellations:approve"] })).key;
  doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Doc;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, "openapi.json");
}, 120_000);

afterAll(async () => {
  await server?.close();
  await h?.stop();
});

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 by @seriousme/openapi-schema-validator", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("names every route handler under app/api/v1 with its methods, and nothing else", async () => {
    const v1 = path.resolve(import.meta.dirname, "../app/api/v1");
    const files = readdirSync(v1, { recursive: true, encoding: "utf8" }).filter((f) => path.basename(f) === "route.ts" && !f.includes("[..."));
    const routes: string[] = [];
    for (const file of files) {
      const dir = path.dirname(file) === "." ? "" : `/${path.dirname(file).split(path.sep).join("/")}`;
      const mod = (await import(path.join(v1, file))) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) if (typeof mod[method] === "function") routes.push(`${method} /api/v1${dir.replace(/\[(\w+)\]/g, "{$1}")}`);
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(routes.sort());
  });

  it("documents the Idempotency-Key header of a submit as required", () => {
    const submit = doc.paths["/api/v1/orders/{orderId}/cancel-partial"]!.post as unknown as { parameters: { name: string; in: string; required: boolean }[] };
    expect(submit.parameters).toContainEqual(expect.objectContaining({ name: "Idempotency-Key", in: "header", required: true }));
  });
});

describe("real answers match the document", () => {
  it("for every route, its successes and its refusals", async () => {
    const imported = await importUnique(keys.agent, exampleA(STORE), { storeId: STORE });
    const orderId = imported.orderId;
    await call("POST", "/api/v1/orders", { key: keys.agent, body: imported.order }); // 409: already imported
    await call("POST", "/api/v1/orders", { key: keys.agent, body: { ...imported.order, externalId: randomUUID(), lines: [] } }); // 400
    const fresh = exampleA(STORE);
    expect((await call("POST", "/api/v1/orders", { key: keys.agent, body: { ...fresh, externalId: randomUUID(), customer: { ...fresh.customer, id: randomUUID() } } })).status).toBe(201);
    await call("POST", "/api/v1/orders", { key: keys.manager, body: imported.order }); // 403: no orders:write
    await call("POST", "/api/v1/orders", { body: imported.order }); // 401

    await call("GET", "/api/v1/orders/{orderId}", { key: keys.agent, params: { orderId } });
    await call("GET", "/api/v1/orders/{orderId}", { key: keys.agent, params: { orderId: randomUUID() } }); // 404

    const request = { orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
    const preview = await call("POST", "/api/v1/orders/{orderId}/cancel-partial/preview", { key: keys.agent, params: { orderId }, body: request });
    expect((preview.body.totals as { total: string }).total).toBe("194.85");
    // Issue 15's "why this amount", checked against the strict schema like every other field.
    expect((preview.body.explanation as { lines: { tax: { unrounded: string; result: string } }[] }).lines[0]!.tax).toMatchObject({ unrounded: "14.853", result: "14.85" });
    await call("POST", "/api/v1/orders/{orderId}/cancel-partial/preview", { key: keys.agent, params: { orderId }, body: { ...request, quantities: [9] } }); // 409

    const submit = "/api/v1/orders/{orderId}/cancel-partial";
    await call("POST", submit, { key: keys.agent, params: { orderId }, body: request }); // 400 IDEMPOTENCY_KEY_REQUIRED
    const key = randomUUID();
    const created = await call("POST", submit, { key: keys.agent, params: { orderId }, body: { ...request, previewVersion: preview.body.previewVersion }, headers: { "idempotency-key": key }, query: "?wait=0" });
    expect(created.status).toBe(201);
    const replayed = await call("POST", submit, { key: keys.agent, params: { orderId }, body: { ...request, previewVersion: preview.body.previewVersion }, headers: { "idempotency-key": key }, query: "?wait=0" });
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    await call("POST", submit, { key: keys.agent, params: { orderId }, body: { ...request, quantities: [1] }, headers: { "idempotency-key": key } }); // 422 REUSED
    const stale = await call("POST", submit, { key: keys.agent, params: { orderId }, body: { ...request, quantities: [1], previewVersion: preview.body.previewVersion }, headers: { "idempotency-key": randomUUID() } });
    expect(stale.status).toBe(409);

    const cancellationId = created.body.cancellationId as string;
    await call("GET", "/api/v1/orders/{orderId}/cancellations/{cancellationId}", { key: keys.agent, params: { orderId, cancellationId } });
    await call("GET", "/api/v1/orders/{orderId}/cancellations/{cancellationId}", { key: keys.agent, params: { orderId, cancellationId: randomUUID() } });
    await call("GET", "/api/v1/orders/{orderId}/cancellations", { key: keys.agent, params: { orderId }, query: "?status=processing" });
    await call("GET", "/api/v1/orders/{orderId}/cancellations", { key: keys.agent, params: { orderId }, query: "?dateFrom=2026-13-40" }); // 400

    // Three requests over the agent's limit, each decided another way.
    const pending = async () => {
      const big = await importUnique(keys.agent, simpleOrder(60), { storeId: STORE });
      const answer = await call("POST", submit, { key: keys.agent, params: { orderId: big.orderId }, body: { orderLineIds: ["1"], quantities: [60], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, headers: { "idempotency-key": randomUUID() } });
      expect(answer.body.status).toBe("pending_approval");
      return answer.body.cancellationId as string;
    };
    const approved = await pending();
    await call("POST", "/api/v1/cancellations/{cancellationId}/approve", { key: keys.agent, params: { cancellationId: approved }, body: {} }); // 403
    expect((await call("POST", "/api/v1/cancellations/{cancellationId}/approve", { key: keys.manager, params: { cancellationId: approved }, body: { note: "ok" } })).status).toBe(200);
    await call("POST", "/api/v1/cancellations/{cancellationId}/approve", { key: keys.manager, params: { cancellationId: approved }, body: {} }); // 409 INVALID_STATE
    const rejected = await pending();
    await call("POST", "/api/v1/cancellations/{cancellationId}/reject", { key: keys.manager, params: { cancellationId: rejected }, body: {} }); // 400: a note
    expect((await call("POST", "/api/v1/cancellations/{cancellationId}/reject", { key: keys.manager, params: { cancellationId: rejected }, body: { note: "no" } })).status).toBe(200);
    const withdrawn = await pending();
    expect((await call("POST", "/api/v1/cancellations/{cancellationId}/withdraw", { key: keys.agent, params: { cancellationId: withdrawn }, body: {} })).status).toBe(200);
    await call("POST", "/api/v1/cancellations/{cancellationId}/withdraw", { key: keys.agent, params: { cancellationId: withdrawn }, body: {} }); // 409
    await call("GET", "/api/v1/openapi.json");

    // Every documented operation was answered with a 2xx that matched its schema.
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(operations.filter((op) => ![...checked].some((c) => c.startsWith(`${op} 2`)))).toEqual([]);
    expect(checked.size).toBeGreaterThanOrEqual(25);
  }, 120_000);
});
