import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { actorFor, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";
import { unique } from "@/test/factories";
import { until } from "@/test/support/until";
import { killWorkers, spawnWorker } from "@/test/support/worker-process";

const db = getDb();
let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness();
});
afterAll(async () => {
  await killWorkers();
  await h.stop();
});

const worker = (extraEnv: Record<string, string>) => spawnWorker({ ...h.env, WORKER_STALE_MS: "1500", ...extraEnv });

it("a worker killed with SIGKILL after the provider call and before recording it: a new worker completes with one operation per tender", async () => {
  const card = `pi_${randomUUID().replace(/-/g, "")}`;
  const paypal = unique("AUTH").toUpperCase();
  const { orderId } = await importForTest({
    channel: "web",
    externalId: unique("WEB-CRASH"),
    storeId: "STORE-001",
    currency: "EUR",
    customer: { id: unique("CUST"), name: "Crash Test", email: "crash@example.com" },
    lines: [{ lineId: "1", sku: "SKU-C", quantity: 2, unitPrice: "40.00", locationId: "DC-1" }],
    tenders: [
      { tenderId: "T1", method: "card", provider: "stripe", providerReference: card, authorized: "50.00", captured: "0.00", brand: "visa", last4: "4242" },
      { tenderId: "T2", method: "paypal", provider: "paypal", providerReference: paypal, authorized: "30.00", captured: "0.00" },
    ],
  });
  const answer = await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  const id = answer.body.cancellationId;

  const first = worker({ SAGA_FAULTS: JSON.stringify({ crashAfterProviderCall: true }) });
  // tsx runs the worker in a child node process and reports its SIGKILL as exit code 137.
  expect(["SIGKILL", 137]).toContain(await first.exited);
  expect(h.fake.state.find("stripe", card)!.operations).toHaveLength(1);
  const midway = await db.cancellation.findUniqueOrThrow({ where: { id }, include: { allocations: true } }).then(numbered);
  expect(midway.status).toBe("processing");
  expect(midway.allocations.every((a) => a.status === "pending")).toBe(true);

  const second = worker({});
  const done = await until("completion", async () => {
    const c = await db.cancellation.findUniqueOrThrow({ where: { id }, include: { allocations: { orderBy: { position: "asc" } } } }).then(numbered);
    return c.status === "completed" ? c : undefined;
  });
  await second.stop();

  expect(done.allocations.map((a) => [a.operation, a.amount, a.status])).toEqual([["reversal", 5000, "succeeded"], ["reversal", 3000, "succeeded"]]);
  expect(h.fake.state.find("stripe", card)!.operations).toHaveLength(1);
  expect(h.fake.state.find("paypal", paypal)!.operations).toHaveLength(1);
  const tenders = await db.tender.findMany({ where: { orderId }, orderBy: { position: "asc" } }).then(numbered);
  expect(tenders.map((t) => t.reversed)).toEqual([5000, 3000]);
}, 90_000);

it("a worker killed with SIGKILL right after the intent row was committed, before calling: a new worker calls once under the same key", async () => {
  const card = `pi_${randomUUID().replace(/-/g, "")}`;
  const { orderId } = await importForTest({
    channel: "web",
    externalId: unique("WEB-CRASH-INTENT"),
    storeId: "STORE-001",
    currency: "EUR",
    customer: { id: unique("CUST"), name: "Crash Test", email: "crash@example.com" },
    lines: [{ lineId: "1", sku: "SKU-C", quantity: 2, unitPrice: "40.00", shipped: 0, locationId: "DC-1" }],
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: card, authorized: "80.00", captured: "80.00", brand: "visa", last4: "4242" }],
  });
  const answer = await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  const id = answer.body.cancellationId;

  const first = worker({ SAGA_FAULTS: JSON.stringify({ crashAt: "after_intent" }) });
  expect(["SIGKILL", 137]).toContain(await first.exited);
  expect(h.fake.state.find("stripe", card)!.operations).toHaveLength(0);
  const intent = await db.providerOperation.findFirstOrThrow({ where: { cancellationId: id } });
  expect(intent).toMatchObject({ status: "calling", attempts: 1, operation: "refund" });

  const second = worker({});
  await until("completion", async () => ((await db.cancellation.findUniqueOrThrow({ where: { id } })).status === "completed" ? true : undefined));
  await second.stop();
  const operations = h.fake.state.find("stripe", card)!.operations;
  expect(operations.map((o) => [o.type, o.amount, o.idempotencyKey])).toEqual([["refund", 4000, intent.idempotencyKey]]);
  expect(await db.providerOperation.findFirstOrThrow({ where: { cancellationId: id } })).toMatchObject({ status: "succeeded", attempts: 2 });
  expect(numbered(await db.tender.findFirstOrThrow({ where: { orderId } })).refunded).toBe(4000);
}, 90_000);

for (const boundary of ["before_intent", "after_record"] as const) {
  it(`a worker killed with SIGKILL at ${boundary}: a new worker completes with exactly one refund under the same key`, async () => {
    const card = `pi_${randomUUID().replace(/-/g, "")}`;
    const { orderId } = await importForTest({
      channel: "web",
      externalId: unique(`WEB-CRASH-${boundary}`),
      storeId: "STORE-001",
      currency: "EUR",
      customer: { id: unique("CUST"), name: "Crash Test", email: "crash@example.com" },
      lines: [{ lineId: "1", sku: "SKU-C", quantity: 2, unitPrice: "40.00", locationId: "DC-1" }],
      tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: card, authorized: "80.00", captured: "80.00", brand: "visa", last4: "4242" }],
    });
    const answer = await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    const id = answer.body.cancellationId;

    const first = worker({ SAGA_FAULTS: JSON.stringify({ crashAt: boundary }) });
    expect(["SIGKILL", 137]).toContain(await first.exited);
    const midway = await db.providerOperation.findFirst({ where: { cancellationId: id } });
    if (boundary === "before_intent") {
      expect(midway).toBeNull();
      expect(h.fake.state.find("stripe", card)!.operations).toHaveLength(0);
    } else {
      expect(midway).toMatchObject({ status: "succeeded", attempts: 1 });
      expect(h.fake.state.find("stripe", card)!.operations).toHaveLength(1);
    }

    const second = worker({});
    await until("completion", async () => ((await db.cancellation.findUniqueOrThrow({ where: { id } })).status === "completed" ? true : undefined));
    await second.stop();
    const intent = await db.providerOperation.findFirstOrThrow({ where: { cancellationId: id } });
    expect(intent.status).toBe("succeeded");
    expect(h.fake.state.find("stripe", card)!.operations.map((o) => [o.type, o.amount, o.idempotencyKey])).toEqual([["refund", 4000, intent.idempotencyKey]]);
    const tender = numbered(await db.tender.findFirstOrThrow({ where: { orderId } }));
    expect([tender.refunded, tender.refundHeld]).toEqual([4000, 0]);
    expect(await db.manualRefundTask.count({ where: { cancellationId: id } })).toBe(0);
  }, 90_000);
}
