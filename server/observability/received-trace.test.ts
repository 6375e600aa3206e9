import { randomBytes, randomUUID } from "node:crypto";
import amqp from "amqplib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { reloadConfig } from "@/server/config";
import { warehouseQueues } from "@/server/config/warehouse";
import { getDb } from "@/server/db/client";
import { TASKS } from "@/server/jobs/queue";
import { createAdjustmentPublisher, startUpdatesConsumer, type UpdatesConsumer } from "@/server/inventory/warehouse-queues";
import type { PaymentProviders } from "@/server/payments/registry";
import { taskList } from "@/server/worker/worker";
import { callRoute } from "@/test/rest";
import { startOtlpReceiver, SPAN_KIND, type OtlpReceiver, type ReceivedSpan } from "@/test/support/otlp-receiver";
import { until } from "@/test/support/until";
import { startWarehouseHarness, type WarehouseHarness } from "@/test/warehouse-harness";
import { activeTraceIds, withSpan } from "./spans";
import { startTracing, type Tracing } from "./tracing";

// What the app receives continues the sender's trace (issue 20 point 3): a RabbitMQ message's
// traceparent header, a webhook's traceparent header, a job's payload. Real RabbitMQ (queues under
// this file's own prefix, deleted after) and an in-process OTLP/HTTP receiver; spans are exported
// every 50 ms and polled for.
const db = getDb();
const url = process.env.EVENTS_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
let receiver: OtlpReceiver;
let tracing: Tracing | null;
let wh: WarehouseHarness;
let prefix: string;
const consumers: UpdatesConsumer[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
  process.env.OTEL_BSP_SCHEDULE_DELAY = "50";
  // Answers from the warehouse fake by callback (to the real route handler) and on the queue.
  wh = await startWarehouseHarness({ delivery: "both" });
  prefix = wh.env.EVENTS_PREFIX!;
  reloadConfig();
  tracing = await startTracing("pc-test");
});
afterAll(async () => {
  for (const c of consumers) await c.stop();
  await wh?.stop();
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  for (const queue of Object.values(warehouseQueues(prefix))) await channel.deleteQueue(queue);
  await connection.close();
  await tracing?.shutdown();
  await receiver?.close();
});

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
/** A sender's span context that is not ours: a traceparent as another system would send it. */
const sender = () => ({ traceId: hex(16), spanId: hex(8) });
const traceparent = (s: { traceId: string; spanId: string }) => `00-${s.traceId}-${s.spanId}-01`;
const spanOf = (what: string, probe: (s: ReceivedSpan) => boolean) => until(what, async () => receiver.spans.find(probe), { timeoutMs: 20_000 });
const answer = () => ({ messageId: `wm_${randomUUID()}`, requestId: randomUUID(), orderId: randomUUID(), outcome: "confirmed", lines: [{ lineId: "1", requested: 1, stopped: 1, outcome: "confirmed" }] });

it("a message on wm.fulfillment.updates with a traceparent header is processed in a CONSUMER span of that trace; one without starts a trace of its own", async () => {
  expect(tracing).not.toBeNull();
  consumers.push(startUpdatesConsumer(db, url, prefix, () => {}));
  const queue = warehouseQueues(prefix).updates;
  const connection = await amqp.connect(url);
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(queue, { durable: true });
  const from = sender();
  const [traced, untraced] = [answer(), answer()];
  channel.sendToQueue(queue, Buffer.from(JSON.stringify(traced)), { messageId: traced.messageId, headers: { traceparent: traceparent(from), tracestate: "wm=1" } });
  channel.sendToQueue(queue, Buffer.from(JSON.stringify(untraced)), { messageId: untraced.messageId });
  await channel.waitForConfirms();
  await connection.close();

  const byId = (id: string) => (s: ReceivedSpan) => s.name === `${queue} process` && s.attributes["messaging.message.id"] === id;
  const span = await spanOf("the traced message's span", byId(traced.messageId));
  expect(span).toMatchObject({ traceId: from.traceId, parentSpanId: from.spanId, kind: SPAN_KIND.consumer });
  // Applied as any answer is: one about a request we do not have changes nothing.
  expect(span.attributes).toMatchObject({ "messaging.system": "rabbitmq", "messaging.destination.name": queue, "pc.warehouse.outcome": "unknown" });
  const own = await spanOf("the untraced message's span", byId(untraced.messageId));
  expect(own.traceId).not.toBe(from.traceId);
  expect(own.parentSpanId).toBeUndefined();
});

it("a payment provider's webhook with a traceparent header is handled in a CONSUMER span of that trace (here a delivery with no valid signature: 400)", async () => {
  const from = sender();
  const response = await callRoute(stripeWebhook, { path: "/api/webhooks/stripe", body: { id: "evt_1", type: "charge.refunded" }, headers: { traceparent: traceparent(from), "stripe-signature": "t=1,v1=00" } });
  expect(response.status).toBe(400);
  const span = await spanOf("the webhook's span", (s) => s.name === "webhook stripe" && s.traceId === from.traceId);
  expect(span).toMatchObject({ parentSpanId: from.spanId, kind: SPAN_KIND.consumer });
  expect(span.attributes["url.path"]).toBe("/api/webhooks/stripe");
});

it("a job enqueued under a trace runs in a CONSUMER span continuing it, and the adjustment it publishes carries that trace in its headers, not in its body", async () => {
  const from = sender();
  const adjustmentId = `release:${randomUUID()}`;
  const publisher = await createAdjustmentPublisher(url, prefix);
  const tasks = taskList({ db, databaseUrl: process.env.DATABASE_URL!, payments: {} as PaymentProviders, warehouse: wh.warehouse, adjustments: publisher, log: () => {} });
  // The payload as enqueueJob writes it under a trace.
  const payload = { adjustmentId, orderId: randomUUID(), reason: "cancellation", lines: [{ orderLineId: "1", sku: "SKU-1", locationId: "DC-WEST", quantity: 1, delta: -1 }], traceparent: traceparent(from) };
  await (tasks[TASKS.warehouseAdjustment] as (p: unknown, h: unknown) => Promise<void>)(payload, { job: { attempts: 1, max_attempts: 25 } });
  await publisher.close();

  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  const message = await until("the adjustment on the queue", async () => (await channel.get(warehouseQueues(prefix).adjustments, { noAck: true })) || undefined);
  await connection.close();
  const body = JSON.parse(message.content.toString()) as Record<string, unknown>;
  expect(body).toMatchObject({ adjustmentId });
  expect(body).not.toHaveProperty("traceparent");
  const header = String((message.properties.headers as Record<string, unknown>).traceparent);
  expect(header).toMatch(new RegExp(`^00-${from.traceId}-[0-9a-f]{16}-01$`));

  const job = await spanOf("the job's span", (s) => s.name === `job ${TASKS.warehouseAdjustment}` && s.traceId === from.traceId);
  expect(job).toMatchObject({ parentSpanId: from.spanId, kind: SPAN_KIND.consumer });
  // The message's traceparent names the publish, a PRODUCER span under the job.
  const publish = await spanOf("the publish span", (s) => s.spanId === header.split("-")[2]);
  expect(publish).toMatchObject({ name: `${warehouseQueues(prefix).adjustments} publish`, kind: SPAN_KIND.producer, parentSpanId: job.spanId });
});

it("the warehouse fake answers with the trace of the request that asked it: its callback and its queue message are both handled in that trace", async () => {
  consumers.push(startUpdatesConsumer(db, url, prefix, () => {}));
  const requestId = randomUUID();
  // The request as the worker's job sends it, through the HTTP adapter (fetch: undici's instrumentation sends traceparent).
  const asked = await withSpan("test unreserve", {}, async () => {
    await wh.warehouse.unreserve({ requestId, orderId: randomUUID(), lines: [{ lineId: "1", sku: "SKU-1", locationId: "DC-WEST", quantity: 1 }] });
    return activeTraceIds()!;
  });
  expect(wh.fake.state.requests.get(requestId)!.trace.traceparent).toMatch(new RegExp(`^00-${asked.traceId}-`));
  await until("both deliveries", async () => wh.fake.state.requests.get(requestId)!.deliveries.length === 2);
  const root = await spanOf("the request's span", (s) => s.spanId === asked.spanId);
  const callback = await spanOf("the callback's span", (s) => s.name === "webhook warehouse" && s.traceId === asked.traceId);
  const queued = await spanOf("the queue message's span", (s) => s.name === `${warehouseQueues(prefix).updates} process` && s.traceId === asked.traceId);
  for (const span of [callback, queued]) {
    expect(span.kind).toBe(SPAN_KIND.consumer);
    expect(receiver.under(span, root)).toBe(true);
  }
});
