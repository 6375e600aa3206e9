import { randomUUID } from "node:crypto";
import http from "node:http";
import amqp from "amqplib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { reloadConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { activeTraceIds, withSpan } from "@/server/observability/spans";
import { startTracing, type Tracing } from "@/server/observability/tracing";
import { actorFor, exampleA, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";
import { createAmqpPublisher, DEFAULT_AMQP_URL, type EventPublisher } from "./amqp-publisher";
import { writeEvent } from "./outbox";
import { relayOutbox } from "./relay-outbox";
import { eventTopology } from "./topology";

// The outbox event carries the trace of the transaction that wrote it into RabbitMQ (issue 20,
// point 3): real RabbitMQ with this run's own prefix (deleted after), and an in-process OTLP/HTTP
// receiver (JSON) for the spans, as in server/observability/tracing.test.ts.
type Span = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: { key: string; value: { stringValue?: string } }[] };
type Export = { resourceSpans: { scopeSpans: { spans: Span[] }[] }[] };
const SPAN_KIND_PRODUCER = 4;
const received: Span[] = [];
const db = getDb();
const url = process.env.EVENTS_AMQP_URL ?? DEFAULT_AMQP_URL;
const prefix = `test-${randomUUID().slice(0, 8)}.`;
const topology = eventTopology(prefix);
let receiver: http.Server;
let h: SagaHarness;
let tracing: Tracing | null;
let publisher: EventPublisher | null = null;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.url === "/v1/traces" && (req.headers["content-type"] ?? "").includes("json")) {
        for (const rs of (JSON.parse(body) as Export).resourceSpans) for (const ss of rs.scopeSpans) received.push(...ss.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  h = await startSagaHarness();
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  reloadConfig();
  tracing = await startTracing("pc-app");
});
afterAll(async () => {
  await publisher?.close();
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  for (const t of topology) {
    await channel.deleteQueue(t.stream);
    await channel.deleteExchange(t.exchange);
  }
  await connection.close();
  await h?.stop();
  receiver?.close();
});

/** The message of `eventId` read from the stream's first offset, with its AMQP headers. */
async function consume(stream: string, eventId: string): Promise<amqp.ConsumeMessage> {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.prefetch(100);
  let found: amqp.ConsumeMessage | null = null;
  await channel.consume(
    stream,
    (m) => {
      if (!m) return;
      if (m.properties.messageId === eventId) found = m;
      channel.ack(m);
    },
    { noAck: false, arguments: { "x-stream-offset": "first" } },
  );
  const deadline = Date.now() + 15_000;
  while (!found && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await channel.close();
  await connection.close();
  if (!found) throw new Error(`event ${eventId} not in ${stream}`);
  return found;
}

it("an event written under a request's span is published in a PRODUCER span of that trace, and the message's traceparent header carries it", async () => {
  expect(tracing).not.toBeNull();
  const { orderId } = await importForTest(exampleA());
  const actor = await actorFor();
  // The request: a span of its own around the submit, whose transaction writes CancellationRequested.
  const request = await withSpan("test request", {}, async () => {
    const ids = activeTraceIds()!;
    await submitCancellation({ db, actor }, orderId, { orderLineIds: ["A"], quantities: [3], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    return ids;
  });
  expect(request.traceId).toMatch(/^[0-9a-f]{32}$/);

  const row = await db.outboxEvent.findFirstOrThrow({ where: { orderId, type: "CancellationRequested" } });
  expect(row.traceparent).toMatch(new RegExp(`^00-${request.traceId}-[0-9a-f]{16}-01$`));
  // An event written with no trace active keeps none.
  const untraced = randomUUID();
  await db.$transaction((tx) => writeEvent(tx, "CancellationRequested", { orderId: untraced, correlationId: randomUUID(), payload: {} }));
  expect(await db.outboxEvent.findFirstOrThrow({ where: { orderId: untraced } })).toMatchObject({ traceparent: null, tracestate: null });

  publisher = await createAmqpPublisher({ url, prefix });
  // The relay runs outside any request, as in the worker.
  while ((await relayOutbox(db, publisher)) > 0);

  const message = await consume(topology.find((t) => t.topic === "cancellation-events")!.stream, row.id);
  const traceparent = (message.properties.headers as Record<string, unknown> | undefined)?.traceparent;
  expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const [, headerTraceId, headerSpanId] = String(traceparent).split("-");
  expect(headerTraceId).toBe(request.traceId);

  await tracing!.shutdown(); // flushes the batch to the receiver
  const trace = received.filter((s) => s.traceId === request.traceId);
  expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining(["test request", "cancellation submit", "outbox publish"]));
  // The header names the relay's producer span, a child of the span that wrote the row.
  const producer = trace.find((s) => s.spanId === headerSpanId);
  expect(producer).toMatchObject({ name: "outbox publish", kind: SPAN_KIND_PRODUCER, parentSpanId: row.traceparent!.split("-")[2] });
  expect(producer!.attributes).toEqual(expect.arrayContaining([{ key: "messaging.system", value: { stringValue: "rabbitmq" } }, { key: "messaging.message.id", value: { stringValue: row.id } }]));
  // The untraced event's publish is a trace of its own, not the request's.
  const untracedRow = await db.outboxEvent.findFirstOrThrow({ where: { orderId: untraced } });
  expect(untracedRow.publishedAt).not.toBeNull();
  const other = received.find((s) => s.name === "outbox publish" && s.attributes.some((a) => a.key === "messaging.message.id" && a.value.stringValue === untracedRow.id));
  expect(other?.traceId).toBeDefined();
  expect(other!.traceId).not.toBe(request.traceId);
}, 60_000);
