import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { apiClient } from "@/test/rest";
import { importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { spawnAppInstance, type AppProcess } from "@/test/support/app-process";
import { startOtlpReceiver, SPAN_KIND, type OtlpReceiver, type ReceivedSpan } from "@/test/support/otlp-receiver";
import { spawnWorker, type WorkerProcess } from "@/test/support/worker-process";

// One cancellation traced across two processes, each exporting to an in-process OTLP/HTTP
// receiver: the app (test/support/app-instance.cts: the REST routes' real handlers, the
// use-case and pg over real HTTP, with the app's start-up, instrumentation.ts) and the worker
// (scripts/worker.ts). The submit's trace travels in the saga job's payload.
let receiver: OtlpReceiver;
let h: SagaHarness;
let app: AppProcess | undefined;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  h = await startSagaHarness();
});
afterAll(async () => {
  await worker?.stop();
  await app?.stop();
  await h?.stop();
  await receiver?.close();
});

// pg instrumentation's spans (stable database semantic conventions: db.system.name).
const isPg = (s: ReceivedSpan) => s.attributes["db.system.name"] === "postgresql";

it("a cancellation's spans from the app process and the worker process share one trace id: the submit request → use-case → its SQL, continued in the worker's saga → steps → SQL and the provider's HTTP call", async () => {
  const env = { ...h.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, EVENTS_AMQP_URL: "off", LOG_LEVEL: "warn", LOG_PRETTY: "off" };
  // Both start at once (start-up is the slow part); the worker takes the saga job whenever it is there.
  app = spawnAppInstance(env);
  worker = spawnWorker(env);
  let workerStarted = false;
  void worker.pid.then(() => (workerStarted = true));
  const said = () => `app: ${app!.output.join("\n").slice(-1500)}\nworker: ${worker!.output.join("\n").slice(-1500)}`;

  const { key } = await apiClient();
  const { orderId } = await importForTest(simpleOrder(2));
  const base = await app.url;
  const response = await fetch(`${base}/api/v1/orders/${orderId}/cancel-partial?wait=0`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": randomUUID() },
    body: JSON.stringify({ orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  const { cancellationId } = JSON.parse(text) as { cancellationId: string };

  // The saga job carries the submit's trace (W3C traceparent in its payload).
  const [job] = await getDb().$queryRaw<{ payload: { traceparent?: string } }[]>`SELECT payload FROM graphile_worker._private_jobs WHERE key = ${`saga:${cancellationId}`}`;
  expect(job?.payload.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const traceId = job!.payload.traceparent!.split("-")[1]!;

  for (let i = 0; ; i++) {
    const c = await getDb().cancellation.findUniqueOrThrow({ where: { id: cancellationId }, select: { status: true } });
    // Completed, and the worker past its start-up (its banner): a SIGTERM before it handles
    // the signal kills it unflushed (the saga can finish while it still starts its services).
    if (c.status === "completed" && workerStarted) break;
    if (i > 1200 || worker.child.exitCode !== null) throw new Error(`saga not completed (status ${c.status}) or worker not started; ${said()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Each process exports what it has left on a clean stop (SIGTERM).
  const [, appEnd] = await Promise.all([worker.stop(), app.stop()]);
  expect(await worker.exited, said()).toBe(0);
  expect(appEnd, said()).toBe(0);

  const trace = receiver.trace(traceId);
  const fromApp = trace.filter((s) => s.service === "pc-app");
  const fromWorker = trace.filter((s) => s.service === "pc-worker");
  // The app: the HTTP server span of the submit request (http instrumentation) → the use-case → its SQL (pg instrumentation).
  const submit = fromApp.find((s) => s.name === "cancellation submit");
  expect(submit, `the app's submit span; app spans: ${fromApp.map((s) => s.name).join(", ")}`).toBeDefined();
  const request = fromApp.find((s) => s.kind === SPAN_KIND.server && !s.parentSpanId);
  expect(request, "the submit request's HTTP server span, the root of the trace").toBeDefined();
  expect(Object.values(request!.attributes).some((v) => typeof v === "string" && v.includes(`/api/v1/orders/${orderId}/cancel-partial`))).toBe(true);
  expect(request!.attributes["http.method"] ?? request!.attributes["http.request.method"]).toBe("POST");
  expect(receiver.under(submit!, request!)).toBe(true);
  const appSql = fromApp.filter(isPg);
  expect(appSql.length, "the submit's SQL").toBeGreaterThan(0);
  expect(appSql.every((s) => receiver.under(s, request!))).toBe(true);
  // The transaction's statements are under the use-case's span (BEGIN … the cancellation's INSERT … COMMIT).
  const submitSql = appSql.filter((s) => receiver.under(s, submit!)).map((s) => s.name.split(" ")[0]);
  expect(submitSql).toEqual(expect.arrayContaining(["pg.query:BEGIN", "pg.query:INSERT", "pg.query:COMMIT"]));

  // The worker continues it: the saga's run is a child of a span of the app (the submit's transaction).
  expect(fromWorker.map((s) => s.name)).toEqual(expect.arrayContaining(["saga run", "saga order_adjustment", "saga payment", "payment stripe reversal"]));
  const run = fromWorker.find((s) => s.name === "saga run")!;
  expect(run.kind).toBe(SPAN_KIND.consumer);
  expect(fromApp.some((s) => s.spanId === run.parentSpanId)).toBe(true);
  // Under the run, the worker's SQL and the provider's HTTP client span (the Stripe SDK's request).
  const workerSql = fromWorker.filter(isPg);
  expect(workerSql.map((s) => s.name.split(" ")[0])).toEqual(expect.arrayContaining(["pg.query:BEGIN", "pg.query:UPDATE", "pg.query:COMMIT"]));
  expect(workerSql.filter((s) => receiver.under(s, run)).length).toBeGreaterThan(0);
  const reversal = fromWorker.find((s) => s.name === "payment stripe reversal")!;
  const providerCalls = fromWorker.filter((s) => s.kind === SPAN_KIND.client && s.name === "POST" && receiver.under(s, reversal));
  expect(providerCalls).toHaveLength(1);
  expect(String(providerCalls[0]!.attributes["http.url"] ?? providerCalls[0]!.attributes["url.full"])).toContain(h.fake.url.replace("http://", ""));
}, 120_000);
