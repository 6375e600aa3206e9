import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { actorFor, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { until } from "@/test/support/until";
import { killWorkers, spawnWorker } from "@/test/support/worker-process";
import { startWarehouseHarness, type WarehouseHarness } from "@/test/warehouse-harness";

const db = getDb();
let pay: SagaHarness;
let wh: WarehouseHarness;

beforeAll(async () => {
  pay = await startSagaHarness();
  // The answer goes only to wm.fulfillment.updates, and is held until the first worker is dead.
  wh = await startWarehouseHarness({ delivery: "queue", holdAnswers: true });
});
afterAll(async () => {
  await killWorkers();
  await wh.stop();
  await pay.stop();
});

const worker = () => spawnWorker({ ...pay.env, ...wh.env, WORKER_STALE_MS: "1500" });

it("a worker killed with SIGKILL while the cancellation awaits the warehouse: the answer waits in the queue and a new worker finishes it once", async () => {
  const order = simpleOrder(3);
  order.lines[0]!.released = 3;
  const { orderId } = await importForTest(order);
  const { body } = await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["1"], quantities: [3], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  const id = body.cancellationId;
  expect(body.status).toBe("awaiting_warehouse");
  wh.fake.state.setLine({ orderId, lineId: "1", sku: "SKU-1", locationId: "DC-WEST", released: 2, picked: 1 });

  const first = worker();
  await until("the request sent by the first worker", async () => ((await db.cancellation.findUniqueOrThrow({ where: { id } })).warehouseRequestedAt ? true : undefined));
  await until("the warehouse's decision", async () => (wh.fake.state.requests.get(id)?.answer ? true : undefined));
  first.child.kill("SIGKILL");
  expect(await first.exited).toBe("SIGKILL");

  // The warehouse answers while no worker runs: the message stays in the durable queue.
  await wh.fake.releaseAnswers();
  expect(wh.fake.state.requests.get(id)!.deliveries).toEqual([{ via: "queue", status: "published" }]);
  const midway = await db.cancellation.findUniqueOrThrow({ where: { id }, include: { warehouseLines: true } }).then(numbered);
  expect(midway.status).toBe("awaiting_warehouse");
  expect(midway.warehouseLines.map((l) => l.outcome)).toEqual([null]);

  const second = worker();
  const done = await until("completion", async () => {
    const c = await db.cancellation.findUniqueOrThrow({ where: { id }, include: { warehouseLines: true, allocations: true } }).then(numbered);
    return c.status === "completed" ? c : undefined;
  });
  await second.stop();

  expect(done.warehouseLines.map((l) => [l.requested, l.stopped, l.outcome])).toEqual([[3, 2, "partial"]]);
  expect(done.total).toBe(2000);
  expect(done.allocations.map((a) => [a.operation, a.amount, a.status])).toEqual([["reversal", 2000, "succeeded"]]);
  // Asked once (the second worker found the request sent), answered once.
  expect([...wh.fake.state.requests.keys()].filter((k) => k === id)).toHaveLength(1);
  const line = numbered(await db.orderLine.findFirstOrThrow({ where: { orderId } }));
  expect([line.released, line.cancelled, line.pendingCancel]).toEqual([1, 2, 0]);
  expect(numbered(await db.tender.findFirstOrThrow({ where: { orderId } })).reversed).toBe(2000);
  expect(await db.outboxEvent.count({ where: { type: "WarehouseCancellationConfirmed", payload: { path: ["cancellationId"], equals: id } } })).toBe(1);
}, 120_000);
