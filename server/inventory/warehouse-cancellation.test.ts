import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { previewCancellation } from "@/server/cancellations/preview-cancellation";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import type { Actor } from "@/server/auth/permissions";
import { runSaga } from "@/server/saga/run-saga";
import { actorFor, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { startWarehouseHarness, type WarehouseHarness } from "@/test/warehouse-harness";
import { signWarehouseBody, WAREHOUSE_SIGNATURE_HEADER } from "./webhook-signature";
import { handleWarehouseWebhook } from "./warehouse-webhook";
import { sendUnreserveRequest, timeOutWarehouseWaits } from "./warehouse-cancellation";
import amqp from "amqplib";
import { taskList } from "@/server/worker/worker";
import { TASKS } from "@/server/jobs/queue";
import { warehouseQueues } from "@/server/config/warehouse";
import { createAdjustmentPublisher, startUpdatesConsumer } from "./warehouse-queues";

const db = getDb();
let pay: SagaHarness;
let wh: WarehouseHarness;
let agent: Actor;

beforeAll(async () => {
  pay = await startSagaHarness();
  wh = await startWarehouseHarness();
  agent = await actorFor();
});
afterAll(async () => {
  await wh.stop();
  await pay.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One line of `quantity` units at 10.00 each, `released` of them released to the warehouse; paid by one Stripe authorization. */
async function releasedOrder(quantity: number, released: number) {
  const order = simpleOrder(quantity);
  order.lines[0]!.released = released;
  return (await importForTest(order)).orderId;
}

const request = (quantity: number) => ({ orderLineIds: ["1"], quantities: [quantity], reason: "CUSTOMER_REQUEST", refundMethod: "original" as const });

async function submit(orderId: string, quantity: number, actor = agent) {
  const { body } = await submitCancellation({ db, actor }, orderId, request(quantity), { idempotencyKey: randomUUID(), waitMs: 0 });
  return body;
}

const cancellation = (id: string) => db.cancellation.findUniqueOrThrow({ where: { id }, include: { items: true, allocations: true, warehouseLines: true } }).then(numbered);
const line = (orderId: string) => db.orderLine.findFirstOrThrow({ where: { orderId } }).then(numbered);
const tender = (orderId: string) => db.tender.findFirstOrThrow({ where: { orderId } }).then(numbered);
const events = (cancellationId: string) =>
  db.outboxEvent.findMany({ where: { type: { startsWith: "Warehouse" }, payload: { path: ["cancellationId"], equals: cancellationId } }, orderBy: { seq: "asc" } });

/** Sends the request as the worker's job does, waits for the answer to settle the wait, then runs the saga. */
async function answerAndRun(id: string, outcome: "completed" | "failed" = "completed") {
  expect(await sendUnreserveRequest({ db, warehouse: wh.warehouse }, id)).toBe("sent");
  await until("the warehouse's answer", async () => ((await cancellation(id)).status !== "awaiting_warehouse" ? true : undefined));
  expect((await cancellation(id)).status).toBe("processing");
  expect(await runSaga({ db, payments: pay.payments }, id)).toBe(outcome);
  return cancellation(id);
}

describe("cancelling released units asks the warehouse (SPEC §11)", () => {
  it("the preview marks the units from the warehouse and states the refund as up to", async () => {
    const orderId = await releasedOrder(3, 2);
    const p = await previewCancellation({ db, actor: agent }, orderId, request(3));
    expect(p.warehouseConfirmationRequired).toBe(true);
    expect(p.lines[0]).toMatchObject({ orderLineId: "1", quantity: 3, fromWarehouse: 2, total: "30.00" });
    expect(p.refundUpTo).toBe("30.00");
    const plain = await previewCancellation({ db, actor: agent }, orderId, request(1));
    expect([plain.warehouseConfirmationRequired, plain.lines[0]!.fromWarehouse, plain.refundUpTo]).toEqual([false, 0, null]);
    // More than cancellable + released is refused as before.
    await expect(previewCancellation({ db, actor: agent }, orderId, request(4))).rejects.toMatchObject({ code: "QUANTITY_EXCEEDS_CANCELLABLE" });
  });

  it("confirmed: every unit stopped, the whole preview refunded, the units cancelled, events on inventory-events", async () => {
    const orderId = await releasedOrder(3, 3);
    const body = await submit(orderId, 3);
    expect(body.status).toBe("awaiting_warehouse");
    const held = await line(orderId);
    expect([held.released, held.pendingCancel]).toEqual([0, 3]);

    const done = await answerAndRun(body.cancellationId);
    expect(done.status).toBe("completed");
    expect(done.total).toBe(3000);
    expect(done.warehouseLines.map((l) => [l.requested, l.stopped, l.outcome])).toEqual([[3, 3, "confirmed"]]);
    const after = await line(orderId);
    expect([after.released, after.pendingCancel, after.cancelled]).toEqual([0, 0, 3]);
    expect((await tender(orderId)).reversed).toBe(3000);
    const types = (await events(body.cancellationId)).map((e) => [e.type, e.topic]);
    expect(types).toEqual([["WarehouseCancellationRequested", "inventory-events"], ["WarehouseCancellationConfirmed", "inventory-events"]]);
  });

  it("partial: 2 of 3 stopped → the refund for exactly 2, equal to a preview for 2 at that state; the third stays released", async () => {
    const orderId = await releasedOrder(3, 3);
    const forTwo = await previewCancellation({ db, actor: agent }, orderId, request(2));
    const body = await submit(orderId, 3);
    // One unit was picked meanwhile: the warehouse can stop only two.
    wh.fake.state.setLine({ orderId, lineId: "1", sku: "SKU-1", locationId: "DC-WEST", released: 2, picked: 1 });

    const done = await answerAndRun(body.cancellationId);
    expect(done.status).toBe("completed");
    expect(done.warehouseLines.map((l) => [l.requested, l.stopped, l.outcome])).toEqual([[3, 2, "partial"]]);
    expect(done.total).toBe(2000);
    expect(done.total).toBeLessThanOrEqual(done.upToTotal!);
    expect((done.total / 100).toFixed(2)).toBe(forTwo.totals.total);
    expect(done.items.map((i) => [i.quantity, i.total])).toEqual([[2, 2000]]);
    const after = await line(orderId);
    expect([after.released, after.pendingCancel, after.cancelled, after.netRefunded]).toEqual([1, 0, 2, 2000]);
    const t = await tender(orderId);
    expect([t.reversed, t.reversalHeld]).toEqual([2000, 0]);
    expect((await events(body.cancellationId)).map((e) => e.type)).toEqual(["WarehouseCancellationRequested", "WarehouseCancellationConfirmed", "WarehouseCancellationRefused"]);
    const timeline = await db.cancellationTimelineEntry.findMany({ where: { cancellationId: body.cancellationId, step: "warehouse" } });
    expect(timeline.map((e) => e.status)).toContain("partial");
  });

  it("partial with a rounding remainder: the refund for the units stopped is the snapshot's, never more than the up to", async () => {
    // 3 × 10.00 with a 10.00 order discount: net 20.00 over 3 units (6.67 / 6.67 / 6.66).
    const order = simpleOrder(3);
    order.lines[0]!.released = 3;
    order.discounts = [{ code: "TEN", amount: "10.00" }];
    order.tenders[0]!.authorized = "20.00";
    const { orderId } = await importForTest(order);
    const forTwo = await previewCancellation({ db, actor: agent }, orderId, request(2));
    const body = await submit(orderId, 3);
    expect(body.refundAmount).toBe("20.00");
    wh.fake.state.setLine({ orderId, lineId: "1", released: 2, packed: 1 });
    const done = await answerAndRun(body.cancellationId);
    expect(forTwo.totals.total).toBe("13.33");
    expect(done.total).toBe(1333);
    // The last unit, shipped later, still takes the exact remainder: 6.67 + 13.33 = 20.00.
    const after = await line(orderId);
    expect(after.netRefunded).toBe(1333);
  });

  it("refused: nothing stopped → processing, then failed by its saga (SPEC §6): nothing cancelled, no money moves, the units stay released", async () => {
    const orderId = await releasedOrder(2, 2);
    const body = await submit(orderId, 2);
    wh.fake.state.setLine({ orderId, lineId: "1", released: 0, picked: 2 });
    const done = await answerAndRun(body.cancellationId, "failed");
    expect(done.status).toBe("failed");
    expect(done.failureReason).toBe("The warehouse could not stop any of the units; they stay released and will ship");
    expect(done.warehouseLines.map((l) => [l.stopped, l.outcome])).toEqual([[0, "refused"]]);
    expect(done.items).toEqual([]);
    expect(done.total).toBe(0);
    const after = await line(orderId);
    expect([after.released, after.pendingCancel, after.cancelled, after.netRefunded]).toEqual([2, 0, 0, 0]);
    const t = await tender(orderId);
    expect([t.reversed, t.reversalHeld]).toEqual([0, 0]);
    expect((await events(body.cancellationId)).map((e) => e.type)).toEqual(["WarehouseCancellationRequested", "WarehouseCancellationRefused"]);
    const failed = await db.outboxEvent.findMany({ where: { type: "CancellationFailed", payload: { path: ["cancellationId"], equals: body.cancellationId } } });
    expect(failed.map((e) => e.payload)).toEqual([{ cancellationId: body.cancellationId, reason: "warehouse_refused" }]);
    // Run again (a redelivered job): nothing more happens.
    expect(await runSaga({ db, payments: pay.payments }, body.cancellationId)).toBe("not_processing");
  });

  it("never answers and nothing else asked for: the timeout counts every unit as refused, and the saga ends it failed with nothing moved", async () => {
    const orderId = await releasedOrder(2, 2);
    const body = await submit(orderId, 2);
    wh.fake.state.addFault({ kind: "never_answers" });
    expect(await sendUnreserveRequest({ db, warehouse: wh.warehouse }, body.cancellationId)).toBe("sent");
    await db.cancellation.update({ where: { id: body.cancellationId }, data: { awaitingWarehouseSince: new Date(Date.now() - 5 * 3_600_000) } });
    expect(await timeOutWarehouseWaits(db, 4 * 3_600_000)).toBe(1);
    expect((await cancellation(body.cancellationId)).status).toBe("processing");
    expect(await runSaga({ db, payments: pay.payments }, body.cancellationId)).toBe("failed");
    const done = await cancellation(body.cancellationId);
    expect([done.status, done.total, done.items.length, done.allocations.length]).toEqual(["failed", 0, 0, 0]);
    expect(done.warehouseLines.map((l) => [l.stopped, l.outcome])).toEqual([[0, "timed_out"]]);
    const after = await line(orderId);
    expect([after.released, after.pendingCancel, after.cancelled]).toEqual([2, 0, 0]);
    expect((await tender(orderId)).reversed).toBe(0);
  });

  it("mixing cancellable and released units: the cancellable ones go through whatever the warehouse says", async () => {
    const orderId = await releasedOrder(4, 2);
    const forThree = await previewCancellation({ db, actor: agent }, orderId, request(3));
    const body = await submit(orderId, 4);
    expect(body.status).toBe("awaiting_warehouse");
    expect((await cancellation(body.cancellationId)).items.map((i) => [i.quantity, i.fromWarehouse])).toEqual([[4, 2]]);
    wh.fake.state.setLine({ orderId, lineId: "1", released: 1, shipped: 1 });
    const done = await answerAndRun(body.cancellationId);
    expect(done.status).toBe("completed");
    // 2 cancellable + 1 stopped.
    expect(done.items.map((i) => [i.quantity, i.fromWarehouse])).toEqual([[3, 0]]);
    expect((done.total / 100).toFixed(2)).toBe(forThree.totals.total);
    const after = await line(orderId);
    expect([after.released, after.cancelled, after.pendingCancel]).toEqual([1, 3, 0]);
  });

  it("never answers: after WAREHOUSE_CONFIRM_TIMEOUT the units count as refused and the rest proceeds", async () => {
    const orderId = await releasedOrder(3, 1);
    const body = await submit(orderId, 3);
    wh.fake.state.addFault({ kind: "never_answers" });
    expect(await sendUnreserveRequest({ db, warehouse: wh.warehouse }, body.cancellationId)).toBe("sent");
    // Not yet due: nothing happens.
    expect(await timeOutWarehouseWaits(db, 4 * 3_600_000)).toBe(0);
    // Backdated rather than slept: the wait began five hours ago.
    await db.cancellation.update({ where: { id: body.cancellationId }, data: { awaitingWarehouseSince: new Date(Date.now() - 5 * 3_600_000) } });
    expect(await timeOutWarehouseWaits(db, 4 * 3_600_000)).toBe(1);
    const c = await cancellation(body.cancellationId);
    expect(c.status).toBe("processing");
    expect(c.warehouseLines.map((l) => [l.stopped, l.outcome])).toEqual([[0, "timed_out"]]);
    expect(await runSaga({ db, payments: pay.payments }, body.cancellationId)).toBe("completed");
    const done = await cancellation(body.cancellationId);
    expect([done.total, done.items[0]!.quantity]).toEqual([2000, 2]);
    const after = await line(orderId);
    expect([after.released, after.cancelled]).toEqual([1, 2]);
    const refused = (await events(body.cancellationId)).find((e) => e.type === "WarehouseCancellationRefused")!;
    expect(refused.payload).toMatchObject({ lines: [{ orderLineId: "1", notStopped: 1, reason: "timed_out" }] });
  });

  it("a duplicate callback changes nothing: the line is answered once, the money moves once", async () => {
    const orderId = await releasedOrder(3, 3);
    const body = await submit(orderId, 3);
    wh.fake.state.setLine({ orderId, lineId: "1", released: 2, picked: 1 });
    wh.fake.state.addFault({ kind: "duplicate" });
    const before = wh.deliveries.length;
    await sendUnreserveRequest({ db, warehouse: wh.warehouse }, body.cancellationId);
    await until("both deliveries", async () => (wh.deliveries.length >= before + 2 ? true : undefined));
    expect(wh.deliveries.slice(before).map((d) => [d.status, d.outcome])).toEqual([[200, "applied"], [200, "ignored"]]);
    // And once more, signed anew, after the saga ran.
    expect(await runSaga({ db, payments: pay.payments }, body.cancellationId)).toBe("completed");
    const again = wh.deliveries[before]!.body;
    const res = await handleWarehouseWebhook(new Request("http://localhost/api/webhooks/warehouse", { method: "POST", body: again, headers: { [WAREHOUSE_SIGNATURE_HEADER]: signWarehouseBody(again, "wm-fake-webhook-secret") } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "ignored" });
    const done = await cancellation(body.cancellationId);
    expect([done.status, done.total]).toEqual(["completed", 2000]);
    const after = await line(orderId);
    expect([after.released, after.cancelled, after.pendingCancel]).toEqual([1, 2, 0]);
    expect((await tender(orderId)).reversed).toBe(2000);
    expect((await events(body.cancellationId)).filter((e) => e.type === "WarehouseCancellationConfirmed")).toHaveLength(1);
  });

  it("a forged or unsigned callback is 401 and changes nothing", async () => {
    const orderId = await releasedOrder(2, 2);
    const body = await submit(orderId, 2);
    const answer = JSON.stringify({ messageId: "forged-1", requestId: body.cancellationId, orderId, lines: [{ lineId: "1", requested: 2, stopped: 2, outcome: "confirmed" }] });
    for (const signature of [signWarehouseBody(answer, "not-the-secret"), null, signWarehouseBody(answer, "wm-fake-webhook-secret", Math.floor(Date.now() / 1000) - 3_600)]) {
      const res = await handleWarehouseWebhook(new Request("http://localhost/api/webhooks/warehouse", { method: "POST", body: answer, headers: signature ? { [WAREHOUSE_SIGNATURE_HEADER]: signature } : {} }));
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    }
    const c = await cancellation(body.cancellationId);
    expect(c.status).toBe("awaiting_warehouse");
    expect(c.warehouseLines.map((l) => l.outcome)).toEqual([null]);
    // A signed body that is not an answer is a 400, also changing nothing.
    const bad = JSON.stringify({ requestId: body.cancellationId });
    const res = await handleWarehouseWebhook(new Request("http://localhost/api/webhooks/warehouse", { method: "POST", body: bad, headers: { [WAREHOUSE_SIGNATURE_HEADER]: signWarehouseBody(bad, "wm-fake-webhook-secret") } }));
    expect(res.status).toBe(400);
    expect((await cancellation(body.cancellationId)).status).toBe("awaiting_warehouse");
  });

  it("approval first, then the warehouse: the gate is on the full amount, the wait starts only once approved", async () => {
    const order = simpleOrder(60);
    order.lines[0]!.released = 60;
    const { orderId } = await importForTest(order);
    const p = await previewCancellation({ db, actor: agent }, orderId, request(60));
    expect([p.approvalRequired, p.totals.total]).toEqual([true, "600.00"]);
    const body = await submit(orderId, 60);
    expect(body.status).toBe("pending_approval");
    expect(await db.warehouseCancellationLine.count({ where: { cancellationId: body.cancellationId } })).toBe(1);
    const manager = await actorFor("store_manager", ["STORE-001"]);
    const approved = await decideApproval({ db, actor: manager }, body.cancellationId, "approved", {});
    expect(approved.status).toBe("awaiting_warehouse");
    wh.fake.state.setLine({ orderId, lineId: "1", released: 59, shipped: 1 });
    const done = await answerAndRun(body.cancellationId);
    expect([done.status, done.total]).toEqual(["completed", 59_000]);
  });

  it("the warehouse down: the request is retried through the breaker, then goes through", async () => {
    const orderId = await releasedOrder(1, 1);
    const body = await submit(orderId, 1);
    wh.fake.state.addFault({ kind: "error", count: 3 });
    await expect(sendUnreserveRequest({ db, warehouse: wh.warehouse }, body.cancellationId)).rejects.toMatchObject({ kind: "transient" });
    expect((await cancellation(body.cancellationId)).warehouseRequestedAt).toBeNull();
    const done = await answerAndRun(body.cancellationId);
    expect([done.status, done.total]).toEqual(["completed", 1000]);
  });
  it("the answer on wm.fulfillment.updates goes through the queue named with the events prefix, on both sides", async () => {
    const prefix = wh.env.EVENTS_PREFIX;
    expect(prefix).toMatch(/^test\./);
    const url = process.env.EVENTS_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
    const lines: string[] = [];
    const consumer = startUpdatesConsumer(db, url, prefix, (l) => lines.push(l));
    wh.fake.settings.delivery = "queue";
    try {
      const orderId = await releasedOrder(2, 2);
      const body = await submit(orderId, 2);
      wh.fake.state.setLine({ orderId, lineId: "1", released: 1, picked: 1 });
      expect(await sendUnreserveRequest({ db, warehouse: wh.warehouse }, body.cancellationId)).toBe("sent");
      await until("the answer read from the queue", async () => ((await cancellation(body.cancellationId)).status === "processing" ? true : undefined));
      expect(wh.fake.state.requests.get(body.cancellationId)!.deliveries).toEqual([{ via: "queue", status: "published" }]);
      expect(lines.some((l) => l.endsWith(": applied"))).toBe(true);
      const entry = await db.cancellationTimelineEntry.findFirstOrThrow({ where: { cancellationId: body.cancellationId, step: "warehouse", status: "partial" } });
      expect(entry.data).toMatchObject({ kind: "warehouse_line_answered", via: "queue", stopped: 1, requested: 2 });
      expect(entry.detail).toContain("(message from the warehouse)");
      await consumer.stop();
      // The queue the fake published to is the prefixed one, and the consumer emptied it.
      const connection = await amqp.connect(url);
      try {
        const channel = await connection.createChannel();
        expect(await channel.checkQueue(warehouseQueues(prefix).updates)).toMatchObject({ queue: `${prefix}wm.fulfillment.updates`, messageCount: 0 });
        await channel.deleteQueue(warehouseQueues(prefix).updates);
      } finally {
        await connection.close();
      }
    } finally {
      wh.fake.settings.delivery = "callback";
      await consumer.stop();
    }
  });
  it("the release of the stopped units is announced on wm.inventory.adjustments, with location and quantities", async () => {
    const orderId = await releasedOrder(2, 2);
    const body = await submit(orderId, 2);
    const done = await answerAndRun(body.cancellationId);
    expect(done.status).toBe("completed");
    const released = await db.outboxEvent.findFirstOrThrow({ where: { type: "InventoryReleased", payload: { path: ["cancellationId"], equals: body.cancellationId } } });
    expect(released.payload).toMatchObject({ released: [{ orderLineId: "1", locationId: "DC-WEST", sku: "SKU-1", quantity: 2 }], quantities: [{ orderLineId: "1", quantity: 2 }] });
    // The job queued with the release, run as the worker runs it, through a real broker.
    const [job] = await db.$queryRaw<{ payload: Record<string, unknown> }[]>`SELECT payload FROM graphile_worker._private_jobs WHERE key = ${`adjustment:${body.cancellationId}`}`;
    expect(job!.payload).toMatchObject({ orderId, reason: "cancellation", lines: [{ orderLineId: "1", locationId: "DC-WEST", quantity: 2, delta: -2 }] });
    const url = process.env.EVENTS_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
    const publisher = await createAdjustmentPublisher(url, wh.env.EVENTS_PREFIX);
    const tasks = taskList({ db, databaseUrl: process.env.DATABASE_URL!, payments: pay.payments, warehouse: wh.warehouse, adjustments: publisher, log: () => {} });
    await (tasks[TASKS.warehouseAdjustment] as (p: unknown, h: unknown) => Promise<void>)(job!.payload, { job: { attempts: 1, max_attempts: 25 } });
    await publisher.close();
    const connection = await amqp.connect(url);
    try {
      const channel = await connection.createChannel();
      const queue = warehouseQueues(wh.env.EVENTS_PREFIX).adjustments;
      const message = await until("the adjustment on the queue", async () => (await channel.get(queue, { noAck: true })) || undefined);
      expect(JSON.parse(message.content.toString())).toMatchObject({ adjustmentId: `release:${body.cancellationId}`, lines: [{ sku: "SKU-1", locationId: "DC-WEST", delta: -2 }] });
      await channel.deleteQueue(queue);
    } finally {
      await connection.close();
    }
  });
});
