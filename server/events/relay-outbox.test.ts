import { randomUUID } from "node:crypto";
import amqp from "amqplib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { actorFor, exampleA, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";
import { createAmqpPublisher, type EventPublisher } from "./amqp-publisher";
import type { EventEnvelope } from "./outbox";
import { relayOutbox } from "./relay-outbox";

// Real RabbitMQ (the machine runs it on 5672): events go out through the
// outbox, keyed by orderId, on the seed's topics.
const db = getDb();
let h: SagaHarness;
let publisher: EventPublisher;
let consumer: amqp.ChannelModel;
let channel: amqp.Channel;
let queue: string;
const received: { exchange: string; routingKey: string; event: EventEnvelope }[] = [];

beforeAll(async () => {
  h = await startSagaHarness();
  publisher = await createAmqpPublisher();
  consumer = await amqp.connect(process.env.EVENTS_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672");
  channel = await consumer.createChannel();
  queue = (await channel.assertQueue("", { exclusive: true, autoDelete: true })).queue;
  for (const topic of ["order-events", "payment-events", "inventory-events", "cancellation-events"]) await channel.bindQueue(queue, topic, "#");
  await channel.consume(queue, (m) => {
    if (m) received.push({ exchange: m.fields.exchange, routingKey: m.fields.routingKey, event: JSON.parse(m.content.toString()) as EventEnvelope });
  }, { noAck: true });
});
afterAll(async () => {
  await channel.close();
  await consumer.close();
  await publisher.close();
  await h.stop();
});

it("publishes outbox events to RabbitMQ once, in order, with SPEC §8's envelope, and marks them", async () => {
  const { orderId } = await importForTest(exampleA());
  await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["A"], quantities: [3], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  while ((await relayOutbox(db, publisher)) > 0);
  const ours = await db.outboxEvent.findMany({ where: { orderId }, orderBy: { seq: "asc" } });
  expect(ours.map((e) => e.type)).toEqual(["CancellationRequested"]);
  expect(ours.every((e) => e.publishedAt !== null)).toBe(true);

  const deadline = Date.now() + 10_000;
  while (!received.some((r) => r.event.orderId === orderId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const mine = received.filter((r) => r.event.orderId === orderId);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ exchange: "cancellation-events", routingKey: orderId });
  expect(mine[0]!.event).toEqual({ eventId: ours[0]!.id, type: "CancellationRequested", correlationId: ours[0]!.correlationId, orderId, occurredAt: ours[0]!.occurredAt.toISOString(), payload: expect.objectContaining({ refundAmount: 29228, currency: "USD" }) });

  expect(await relayOutbox(db, publisher)).toBe(0);
});

it("leaves events in the outbox when the broker refuses them", async () => {
  const { orderId } = await importForTest(exampleA());
  await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["B"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  const tried: string[] = [];
  const failing: EventPublisher = {
    publish: async (_topic, _key, event) => {
      tried.push(event.eventId);
      throw new Error("broker down");
    },
    close: async () => {},
  };
  expect(await relayOutbox(db, failing)).toBe(0);
  expect(tried).toHaveLength(1);
  const row = await db.outboxEvent.findUniqueOrThrow({ where: { id: tried[0] } });
  expect(row.publishedAt).toBeNull();
  expect(row.attempts).toBeGreaterThanOrEqual(1);
  expect((await db.outboxEvent.findFirstOrThrow({ where: { orderId } })).publishedAt).toBeNull();
});
