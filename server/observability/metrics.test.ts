import { spawnScript } from "@/scripts/lib/worker-spawn";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { GET as unknownRoute } from "@/app/api/v1/[...path]/route";
import { reloadConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { measuredPort } from "@/server/payments/measured-port";
import type { PaymentProviderPort, PaymentTender } from "@/server/payments/port";
import { startWorker } from "@/server/worker/worker";
import { apiClient, callRoute } from "@/test/rest";
import { importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { metrics } from "./metrics";
import { startMetricsServer } from "./metrics-endpoint";
import { registerStateGauges } from "@/server/worker/state-gauges";
import { Registry } from "prom-client";

const db = getDb();
let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness();
});
afterAll(async () => {
  await h.stop();
});

/** One sample's value in a text exposition; undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function scrape(headers: Record<string, string> = {}) {
  return callRoute<never>(async (req) => {
    const res = await metricsRoute(req);
    // callRoute parses JSON: hand the exposition back as a JSON string.
    return new Response(JSON.stringify({ status: res.status, text: await res.text(), type: res.headers.get("content-type") }));
  }, { path: "/api/metrics", headers }).then((r) => r.body as unknown as { status: number; text: string; type: string });
}

const body = { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" };

describe("/api/metrics", () => {
  it("counts a preview and a submit by outcome and times each request by route template and status, in Prometheus text", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(3));
    const before = await scrape();
    const previewLabels = { route: "/api/v1/orders/[orderId]/cancel-partial/preview", method: "POST", status: "200" };
    const previewsBefore = sample(before.text, "pc_cancellation_previews_total", { outcome: "ok" }) ?? 0;
    const timedBefore = sample(before.text, "pc_http_request_duration_seconds_count", previewLabels) ?? 0;

    const path = `/api/v1/orders/${orderId}/cancel-partial`;
    expect((await callRoute(previewRoute, { key, params: { orderId }, body, path: `${path}/preview` })).status).toBe(200);
    const bad = await callRoute(submitRoute, { key, params: { orderId }, body: { ...body, quantities: [99] }, path, headers: { "idempotency-key": randomUUID() } });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    await callRoute(unknownRoute, { path: `/api/v1/${randomUUID()}`, params: {} });

    const after = await scrape();
    expect(after.status).toBe(200);
    expect(after.type).toContain("text/plain; version=0.0.4");
    expect(sample(after.text, "pc_cancellation_previews_total", { outcome: "ok" })).toBe(previewsBefore + 1);
    expect(sample(after.text, "pc_http_request_duration_seconds_count", previewLabels)).toBe(timedBefore + 1);
    expect(sample(after.text, "pc_http_request_duration_seconds_bucket", { ...previewLabels, le: "+Inf" })).toBe(timedBefore + 1);
    const badCode = (bad.body as { error: { code: string } }).error.code.toLowerCase();
    expect(sample(after.text, "pc_cancellation_submits_total", { outcome: badCode })).toBeGreaterThanOrEqual(1);
    expect(sample(after.text, "pc_http_request_duration_seconds_count", { route: "/api/v1/orders/[orderId]/cancel-partial", method: "POST", status: String(bad.status) })).toBeGreaterThanOrEqual(1);
    // An unknown path is one series, never one per path a caller made up; no label carries an id.
    expect(sample(after.text, "pc_http_request_duration_seconds_count", { route: "/api/v1/[...path]", method: "GET", status: "404" })).toBeGreaterThanOrEqual(1);
    expect(after.text).not.toContain(orderId);
    expect(after.text).toContain("process_cpu_seconds_total");
  });

  it("answers 401 without the bearer METRICS_TOKEN when one is set, and the metrics with it", async () => {
    const token = "metrics-token-0123456789";
    process.env.METRICS_TOKEN = token;
    reloadConfig();
    try {
      expect((await scrape()).status).toBe(401);
      expect((await scrape({ authorization: "Bearer wrong-token-0123456789" })).status).toBe(401);
      const ok = await scrape({ authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain("# TYPE pc_http_request_duration_seconds histogram");
    } finally {
      delete process.env.METRICS_TOKEN;
      reloadConfig();
    }
  });
});

describe("the saga's metrics", () => {
  it("a completed cancellation counts its provider call, times its saga steps and its submit → completed time", async () => {
    const worker = await startWorker({ db, databaseUrl: process.env.DATABASE_URL!, payments: h.payments, concurrency: 2, log: () => {} });
    try {
      const { key } = await apiClient();
      const { orderId } = await importForTest(simpleOrder(2));
      const m = metrics();
      const before = await m.registry.metrics();
      const calls = { provider: "stripe", operation: "reversal", outcome: "succeeded" };
      const callsBefore = sample(before, "pc_provider_calls_total", calls) ?? 0;
      const answer = await callRoute<{ status: string }>(submitRoute, { key, params: { orderId }, body, path: `/api/v1/orders/${orderId}/cancel-partial?wait=5000`, headers: { "idempotency-key": randomUUID() } });
      expect(answer.body.status).toBe("completed");
      // The answer goes out at the saga's commit; its run is counted just after.
      const runsBefore = sample(before, "pc_saga_runs_total", { outcome: "completed" }) ?? 0;
      let after = await m.registry.metrics();
      for (let i = 0; i < 100 && (sample(after, "pc_saga_runs_total", { outcome: "completed" }) ?? 0) <= runsBefore; i++) {
        await new Promise((r) => setTimeout(r, 20));
        after = await m.registry.metrics();
      }
      expect(sample(after, "pc_provider_calls_total", calls)).toBe(callsBefore + 1);
      expect(sample(after, "pc_provider_call_duration_seconds_count", calls)).toBe(callsBefore + 1);
      // Inventory release and completion commit together (one transaction) on the normal path, timed as "completion".
      for (const step of ["order_adjustment", "payment", "completion"]) {
        expect(sample(after, "pc_saga_step_duration_seconds_count", { step, outcome: "succeeded" }), step).toBeGreaterThanOrEqual(1);
      }
      expect(sample(after, "pc_cancellation_completion_seconds_count", { status: "completed", approval_required: "false" })).toBeGreaterThanOrEqual(1);
      expect(sample(after, "pc_saga_runs_total", { outcome: "completed" })).toBeGreaterThanOrEqual(1);
      expect(sample(after, "pc_cancellation_submits_total", { outcome: "completed" })).toBeGreaterThanOrEqual(1);
    } finally {
      await worker.stop();
    }
  });

  it("a provider's answer is counted as its outcome; an adapter that throws counts as unknown", async () => {
    const tender = { provider: "paypal" } as PaymentTender;
    const tag = { idempotencyKey: "k", cancellationId: randomUUID() };
    const fake: PaymentProviderPort = {
      reverse: async () => ({ status: "declined", code: "card_declined", message: "no" }),
      refund: async () => {
        throw new Error("socket hang up");
      },
      lookUp: async () => ({ status: "absent", detail: "nothing" }),
    };
    const port = measuredPort("paypal", fake);
    const count = async (operation: string, outcome: string) => sample(await metrics().registry.metrics(), "pc_provider_calls_total", { provider: "paypal", operation, outcome }) ?? 0;
    const [declined, unknown, absent] = [await count("reversal", "declined"), await count("refund", "unknown"), await count("lookup", "absent")];
    await port.reverse(tender, 100, tag);
    await expect(port.refund(tender, 100, tag)).rejects.toThrow("socket hang up");
    await port.lookUp(tender, "refund", 100, tag);
    expect([await count("reversal", "declined"), await count("refund", "unknown"), await count("lookup", "absent")]).toEqual([declined + 1, unknown + 1, absent + 1]);
  });
});

describe("the worker's metrics", () => {
  it("serve the database's queues: outbox backlog and lag, dead letters, manual refunds, breakers, jobs and cancellations by status", async () => {
    const registry = new Registry();
    registerStateGauges(registry, db, { maxAgeMs: 0 });
    const token = "worker-token-0123456789";
    const server = await startMetricsServer({ port: 0, host: "127.0.0.1", token, registry });
    const { port } = server.address() as { port: number };
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/other`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
      const read = async () => (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text();
      const before = await read();
      const { orderId } = await importForTest(simpleOrder(1));
      const c = await db.cancellation.findFirst({ select: { id: true } });
      await db.outboxEvent.create({ data: { type: "CancellationRequested", topic: "cancellation-events", key: orderId, correlationId: randomUUID(), orderId, payload: {}, occurredAt: new Date(Date.now() - 3_600_000) } });
      await db.deadLetter.create({ data: { step: "cancellation_saga", payload: {}, error: "boom", attempts: 8 } });
      await db.providerCircuit.upsert({ where: { provider: "adyen" }, update: { state: "open", openedAt: new Date() }, create: { provider: "adyen", state: "open", openedAt: new Date() } });
      if (c) await db.manualRefundTask.create({ data: { cancellationId: c.id, amount: 100n, currency: "USD", reason: "test", origin: "declined", createdAt: new Date(Date.now() - 7_200_000) } });
      const after = await read();
      expect(sample(after, "pc_outbox_unpublished_events")).toBe((sample(before, "pc_outbox_unpublished_events") ?? 0) + 1);
      expect(sample(after, "pc_outbox_lag_seconds")).toBeGreaterThanOrEqual(3_600);
      expect(sample(after, "pc_dead_letters_open")).toBe((sample(before, "pc_dead_letters_open") ?? 0) + 1);
      expect(sample(after, "pc_circuit_breaker_state", { provider: "adyen", state: "open" })).toBe(1);
      expect(sample(after, "pc_circuit_breaker_state", { provider: "adyen", state: "closed" })).toBe(0);
      expect(sample(after, "pc_circuit_breaker_state", { provider: "stripe", state: "closed" })).toBe(1);
      if (c) {
        expect(sample(after, "pc_manual_refund_tasks_open")).toBe((sample(before, "pc_manual_refund_tasks_open") ?? 0) + 1);
        expect(sample(after, "pc_manual_refund_task_oldest_open_age_seconds")).toBeGreaterThanOrEqual(7_200);
      }
      expect(sample(after, "pc_cancellations", { status: "withdrawn" })).toBeDefined();
      expect(after).toContain("# TYPE pc_jobs gauge");
      await db.providerCircuit.update({ where: { provider: "adyen" }, data: { state: "closed", openedAt: null } });
    } finally {
      server.close();
    }
  });
});

describe("the cluster of npm start", () => {
  it("a scrape landing on one process answers for all: the primary sums every process's registry", async () => {
    const child = spawnScript("test/support/cluster-metrics-fixture.ts", process.env, ["ignore", "pipe", "pipe"]);
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(err).toBe("");
    expect(code).toBe(0);
    // Three processes counted 1, 2 and 3 requests.
    expect(sample(out, "pc_http_request_duration_seconds_count", { route: "/fixture", method: "GET", status: "200" })).toBe(6);
  });
});
