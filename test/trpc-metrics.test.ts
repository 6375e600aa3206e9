import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { metrics } from "@/server/observability/metrics";
import { actorFor, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "./saga-harness";

/*
 * Issue 20: the UI's httpBatchLink sends previews and submits in batches. Each call of a batch is
 * one observation of pc_http_request_duration_seconds labelled with its own procedure and status,
 * so the KPI rules (route=~"/api/trpc/cancellation.submit", the error ratio's cancellation.*) see
 * them; there is no [batch] route.
 */
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId }, expires: new Date(Date.now() + 60_000).toISOString() } : null),
}));

let h: SagaHarness;
beforeAll(async () => {
  h = await startSagaHarness();
  session.userId = (await actorFor("customer_service_agent")).userId;
});
afterAll(() => h?.stop());

/** Observations (the histogram's _count) by route and status, from the registry's text. */
async function counts(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const line of (await metrics().registry.metrics()).split("\n")) {
    const m = /^pc_http_request_duration_seconds_count\{(.*)\} (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    out.set(`${labels.method} ${labels.route} ${labels.status}`, Number(m[2]));
  }
  return out;
}

async function delta(fn: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await counts();
  await fn();
  const after = await counts();
  return Object.fromEntries([...after].filter(([k, v]) => v !== (before.get(k) ?? 0)).map(([k, v]) => [k, v - (before.get(k) ?? 0)]));
}

const request = (quantity: number) => ({ orderLineIds: ["1"], quantities: [quantity], reason: "CUSTOMER_REQUEST", refundMethod: "original" });

it("labels each call of a batch with its procedure and its own status", async () => {
  const { orderId } = await importForTest(simpleOrder(3));
  const input = { 0: { json: { orderId, request: request(1) } }, 1: { json: { orderId, request: request(99) } }, 2: { json: { orderId: randomUUID() } } };
  const url = `http://localhost/api/trpc/cancellation.preview,cancellation.preview,order.get?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
  let status = 0;
  const observed = await delta(async () => {
    const response = await trpcGet(new Request(url));
    status = response.status;
    const body = (await response.json()) as { result?: unknown; error?: { json: { data: { httpStatus: number } } } }[];
    expect(body.map((r) => (r.error ? r.error.json.data.httpStatus : 200))).toEqual([200, 409, 404]);
  });
  expect(status).toBe(207);
  expect(observed).toEqual({
    "GET /api/trpc/cancellation.preview 200": 1,
    "GET /api/trpc/cancellation.preview 409": 1,
    "GET /api/trpc/order.get 404": 1,
  });
});

it("labels a batched submit as cancellation.submit, and a name nobody knows as [unknown]", async () => {
  const { orderId } = await importForTest(simpleOrder(3));
  const body = JSON.stringify({ 0: { json: { orderId, idempotencyKey: randomUUID(), request: request(1), waitMs: 0 } } });
  const submitted = await delta(async () => {
    const response = await trpcPost(new Request("http://localhost/api/trpc/cancellation.submit?batch=1", { method: "POST", headers: { "content-type": "application/json" }, body }));
    expect(response.status).toBe(200);
  });
  expect(submitted).toEqual({ "POST /api/trpc/cancellation.submit 200": 1 });

  const unknown = await delta(async () => {
    const response = await trpcGet(new Request(`http://localhost/api/trpc/order.get,made.up?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { json: { orderId } }, 1: { json: {} } }))}`));
    expect(response.status).toBe(207);
  });
  expect(unknown).toEqual({ "GET /api/trpc/order.get 200": 1, "GET /api/trpc/[unknown] 404": 1 });
  expect([...(await counts()).keys()].filter((k) => k.includes("[batch]"))).toEqual([]);
});
