import { randomUUID } from "node:crypto";
import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { actorFor, exampleA, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";
import { BrokerUnavailableError, createAmqpPublisher, declareEventTopology, DEFAULT_AMQP_URL, type EventPublisher } from "./amqp-publisher";
import { type EventEnvelope, type EventType, writeEvent } from "./outbox";
import { relayOutbox } from "./relay-outbox";
import { eventTopology } from "./topology";

// Real RabbitMQ (the machine runs it on 5672). This run's exchanges and streams carry a
// prefix of their own, so that other runs' events never show up here; they are deleted after.
const db = getDb();
const url = process.env.EVENTS_AMQP_URL ?? DEFAULT_AMQP_URL;
const prefix = `test-${randomUUID().slice(0, 8)}.`;
const topology = eventTopology(prefix);
const streamOf = (topic: string) => topology.find((t) => t.topic === topic)!.stream;
let h: SagaHarness;
const publishers: EventPublisher[] = [];

beforeAll(async () => {
  h = await startSagaHarness();
});
afterAll(async () => {
  for (const p of publishers) await p.close();
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  for (const t of topology) {
    await channel.deleteQueue(t.stream);
    await channel.deleteExchange(t.exchange);
  }
  await connection.close();
  await h.stop();
});

async function publisher() {
  const p = await createAmqpPublisher({ url, prefix });
  publishers.push(p);
  return p;
}

type Delivery = { exchange: string; routingKey: string; event: EventEnvelope };

/** A consumer that connects now and reads the stream from its first offset until `enough`. */
async function readFromFirst(stream: string, enough: (got: Delivery[]) => boolean): Promise<Delivery[]> {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.prefetch(500);
  const got: Delivery[] = [];
  await channel.consume(
    stream,
    (m) => {
      if (!m) return;
      got.push({ exchange: m.fields.exchange, routingKey: m.fields.routingKey, event: JSON.parse(m.content.toString()) as EventEnvelope });
      channel.ack(m);
    },
    { noAck: false, arguments: { "x-stream-offset": "first" } },
  );
  const deadline = Date.now() + 15_000;
  while (!enough(got) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await channel.close();
  await connection.close();
  return got;
}

async function writeInterleaved(orders: string[], perOrder: number, types: EventType[]) {
  for (let i = 0; i < perOrder; i++) {
    for (const orderId of orders) {
      await db.$transaction((tx) => writeEvent(tx, types[i % types.length]!, { orderId, correlationId: randomUUID(), payload: { i } }));
    }
  }
}

/** Each order's event ids per topic, in the order the outbox wrote them. */
async function expectedPerOrder(orders: string[], topic: string) {
  const rows = await db.outboxEvent.findMany({ where: { orderId: { in: orders }, topic }, orderBy: { seq: "asc" } });
  return Object.fromEntries(orders.map((o) => [o, rows.filter((r) => r.orderId === o).map((r) => r.id)]));
}

const perOrder = (got: Delivery[], orders: string[]) => Object.fromEntries(orders.map((o) => [o, got.filter((d) => d.event.orderId === o).map((d) => d.event.eventId)]));

describe("events are kept in RabbitMQ streams (SPEC §8)", () => {
  it("declares each topic's exchange bound to a durable stream with the seed's retention", async () => {
    await publisher();
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    for (const t of topology) expect(await channel.checkQueue(t.stream)).toMatchObject({ queue: t.stream });
    await connection.close();
    expect(Object.fromEntries(topology.map((t) => [t.topic, t.maxAge]))).toEqual({ "order-events": "7D", "inventory-events": "7D", "payment-events": "30D", "cancellation-events": "30D" });
  });

  it("a consumer that connects after the events were published reads them all from the first offset, in order per order, with SPEC §8's envelope", async () => {
    const { orderId } = await importForTest(exampleA());
    await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["A"], quantities: [3], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    const orders: string[] = [randomUUID(), randomUUID(), randomUUID()];
    await writeInterleaved(orders, 6, ["CancellationRequested", "AuthorizationReversed", "CancellationCompleted", "RefundProcessed"]);
    const p = await publisher();
    while ((await relayOutbox(db, p)) > 0);

    const count = (topic: string) => db.outboxEvent.count({ where: { orderId: { in: [orderId, ...orders] }, topic } });
    const [cancellationCount, paymentCount] = [await count("cancellation-events"), await count("payment-events")];
    const cancellations = await readFromFirst(streamOf("cancellation-events"), (got) => got.filter((d) => [orderId, ...orders].includes(d.event.orderId)).length >= cancellationCount);
    const requested = await db.outboxEvent.findFirstOrThrow({ where: { orderId } });
    expect(cancellations.filter((d) => d.event.orderId === orderId)).toEqual([
      {
        exchange: `${prefix}cancellation-events`,
        routingKey: orderId,
        event: { eventId: requested.id, type: "CancellationRequested", correlationId: requested.correlationId, orderId, occurredAt: requested.occurredAt.toISOString(), payload: expect.objectContaining({ refundAmount: 29228, currency: "USD" }) },
      },
    ]);
    expect(perOrder(cancellations, orders)).toEqual(await expectedPerOrder(orders, "cancellation-events"));
    const payments = await readFromFirst(streamOf("payment-events"), (got) => got.filter((d) => orders.includes(d.event.orderId)).length >= paymentCount);
    expect(perOrder(payments, orders)).toEqual(await expectedPerOrder(orders, "payment-events"));
  });

  it("two relays at once keep each order's events in order, each published once", async () => {
    const orders: string[] = Array.from({ length: 3 }, () => randomUUID());
    await writeInterleaved(orders, 30, ["CancellationRequested", "CancellationApproved", "CancellationCompleted"]);
    const [p1, p2] = [await publisher(), await publisher()];
    const left = () => db.outboxEvent.count({ where: { orderId: { in: orders }, publishedAt: null } });
    // Small claims, so that the two relays take turns on the same orders many times.
    const drain = async (p: EventPublisher) => {
      while ((await left()) > 0) await relayOutbox(db, p, { keys: 1, perKey: 2 });
    };
    await Promise.all([drain(p1), drain(p2)]);

    const got = await readFromFirst(streamOf("cancellation-events"), (g) => g.filter((d) => orders.includes(d.event.orderId)).length >= 90);
    expect(perOrder(got, orders)).toEqual(await expectedPerOrder(orders, "cancellation-events"));
  });

  it("a message the broker refuses fails alone (not as an unreachable broker), and the publisher goes on", async () => {
    const p = await publisher();
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    const exchange = topology.find((t) => t.topic === "order-events")!.exchange;
    await channel.deleteExchange(exchange);
    const event = (): EventEnvelope => ({ eventId: randomUUID(), type: "OrderQuantityAdjusted", correlationId: randomUUID(), orderId: randomUUID(), occurredAt: new Date().toISOString(), payload: {} });
    const refused = await p.publish("order-events", "k", event()).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(BrokerUnavailableError);
    await declareEventTopology(channel, topology);
    await connection.close();
    await expect(p.publish("order-events", "k", event())).resolves.toBeUndefined();
  });
});
