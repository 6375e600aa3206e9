import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { createPaymentProviders, loadPaymentConfig } from "@/server/payments/registry";
import { actorFor, exampleA, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { runSaga } from "./run-saga";

const db = getDb();
let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness();
});
afterAll(() => h.stop());

async function submitted(order = exampleA(), lineIds = ["A"], quantities = [2]) {
  const agent = await actorFor();
  const { orderId } = await importForTest(order, agent);
  const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: lineIds, quantities, reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  expect(answer.body.status).toBe("processing");
  return { orderId, cancellationId: answer.body.cancellationId, order };
}

const state = (orderId: string) =>
  db.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: { orderBy: { position: "asc" } }, tenders: { orderBy: { position: "asc" } }, reservations: true } }).then(numbered);

describe("the saga", () => {
  it("completes example A's first cancellation: units cancelled, 194.85 reversed on the card, stock released", async () => {
    const { orderId, cancellationId, order } = await submitted();
    expect(await runSaga({ db, payments: h.payments }, cancellationId)).toBe("completed");
    const o = await state(orderId);
    expect(o.lines[0]).toMatchObject({ cancelled: 2, pendingCancel: 0 });
    expect(o.tenders[0]).toMatchObject({ reversed: 19485, reversalHeld: 0 });
    expect(o.reservations.find((r) => r.sku === "APP-SHIRT-RED-M")).toMatchObject({ quantity: 3, released: 2 });
    const payment = h.fake.state.find("stripe", order.tenders[0]!.providerReference)!;
    expect(payment.reversed).toBe(19485);
    const events = await db.outboxEvent.findMany({ where: { orderId }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["CancellationRequested", "OrderQuantityAdjusted", "AuthorizationReversed", "InventoryReleased", "CancellationCompleted"]);
    const c = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, include: { allocations: true } }).then(numbered);
    expect(c.status).toBe("completed");
    expect(c.allocations.map((a) => a.status)).toEqual(["succeeded"]);
  });

  it("running it again does nothing twice", async () => {
    const { orderId, cancellationId, order } = await submitted();
    await runSaga({ db, payments: h.payments }, cancellationId);
    expect(await runSaga({ db, payments: h.payments }, cancellationId)).toBe("not_processing");
    expect((await state(orderId)).lines[0]!.cancelled).toBe(2);
    expect(h.fake.state.find("stripe", order.tenders[0]!.providerReference)!.operations).toHaveLength(1);
  });
});

describe("compensation (SPEC §6.4)", () => {
  it("order update fails → holds released, nothing paid, status failed, customer told", async () => {
    const { orderId, cancellationId, order } = await submitted();
    const outcome = await runSaga({ db, payments: h.payments, faults: { failStep: { order_adjustment: "always" } } }, cancellationId);
    expect(outcome).toBe("failed");
    const o = await state(orderId);
    expect(o.lines[0]).toMatchObject({ cancelled: 0, pendingCancel: 0, netRefunded: 0, taxRefunded: 0 });
    expect(o.tenders[0]).toMatchObject({ reversed: 0, reversalHeld: 0 });
    expect(o.reservations.every((r) => r.released === 0)).toBe(true);
    expect(h.fake.state.find("stripe", order.tenders[0]!.providerReference)!.operations).toHaveLength(0);
    const c = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, include: { timeline: true } }).then(numbered);
    expect(c.status).toBe("failed");
    expect(c.timeline.some((t) => t.step === "compensation")).toBe(true);
    const failed = await db.outboxEvent.findMany({ where: { orderId, type: "CancellationFailed" } });
    expect(failed).toHaveLength(1);
    // The customer is told through the event: its notify_customer job was enqueued with it.
    const jobs = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'notify_customer' AND key = ${`notify:${failed[0]!.id}`}`;
    expect(Number(jobs[0]!.n)).toBe(1);
    // The units are cancellable again.
    const again = await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["A"], quantities: [3], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    expect(again.body.refundAmount).toBe("292.28");
  });

  it("order update fails on a no-refund override that settled shipping → exactly what it settled is given back", async () => {
    const manager = await actorFor("store_manager", ["STORE-001"]);
    const { orderId } = await importForTest(exampleA(), manager);
    const before = await state(orderId);
    const request = { orderLineIds: ["A", "B"], quantities: [3, 1], reason: "CUSTOMER_REQUEST", refundMethod: "original", overrides: { noRefund: true }, note: "exchange" };
    const answer = await submitCancellation({ db, actor: manager }, orderId, request, { idempotencyKey: randomUUID(), waitMs: 0 });
    expect([answer.body.status, answer.body.refundAmount, answer.body.overrides?.notRefunded]).toEqual(["processing", "0.00", "350.99"]);
    const held = await state(orderId);
    expect([held.shippingRefunded, held.lines.map((l) => l.netRefunded)]).toEqual([1000, [27000, 4500]]);
    expect(await runSaga({ db, payments: h.payments, faults: { failStep: { order_adjustment: "always" } } }, answer.body.cancellationId)).toBe("failed");
    const after = await state(orderId);
    expect({ ...after, version: 0, updatedAt: null }).toEqual({ ...before, version: 0, updatedAt: null });
  });

  it("a transient order-update failure is retried and the saga completes", async () => {
    const { cancellationId } = await submitted();
    expect(await runSaga({ db, payments: h.payments, faults: { failStep: { order_adjustment: 2 } } }, cancellationId)).toBe("completed");
  });

  it("payment keeps failing (5xx) to the horizon and the provider cannot be asked → a task marked verify-at-provider, the order adjustment stays, completed with manual_required", async () => {
    const order = simpleOrder(4);
    const { orderId, cancellationId } = await submitted(order, ["1"], [1]);
    h.fake.state.addFault({ provider: "stripe", operation: undefined, reference: order.tenders[0]!.providerReference, kind: "http_500", count: 50, ms: 0 });
    // Breakers are shared through the database: a high threshold keeps the 500s from opening Stripe's for the other tests.
    const payments = createPaymentProviders(loadPaymentConfig({ ...process.env, ...h.env, PROVIDER_UNKNOWN_HORIZON_MS: "0", PAYMENT_BREAKER_THRESHOLD: "1000" }), { db });
    expect(await runSaga({ db, payments }, cancellationId)).toBe("completed");
    const c = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, include: { allocations: true, manualTasks: true } }).then(numbered);
    expect(c.status).toBe("completed");
    expect(c.allocations[0]).toMatchObject({ status: "manual_required" });
    expect(c.manualTasks).toHaveLength(1);
    expect(c.manualTasks[0]).toMatchObject({ amount: 1000, status: "open", origin: "unverified_unknown", verifyAtProvider: true });
    expect((await state(orderId)).lines[0]).toMatchObject({ cancelled: 1, pendingCancel: 0 });
    expect(h.fake.state.find("stripe", order.tenders[0]!.providerReference)!.reversed).toBe(0);
  });

  it("a declined payment is permanent: manual-refund task at once", async () => {
    const order = simpleOrder(2);
    const { cancellationId } = await submitted(order, ["1"], [1]);
    h.fake.state.addFault({ provider: "stripe", operation: undefined, reference: order.tenders[0]!.providerReference, kind: "decline", count: 1, ms: 0 });
    await runSaga({ db, payments: h.payments }, cancellationId);
    const c = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, include: { allocations: true, manualTasks: true } }).then(numbered);
    expect(c.allocations[0]!.status).toBe("manual_required");
    expect(c.manualTasks).toHaveLength(1);
    expect(c.manualTasks[0]).toMatchObject({ origin: "declined", verifyAtProvider: false });
  });

  it("inventory release fails → retry queued and alerted, the cancellation still completes", async () => {
    const { orderId, cancellationId } = await submitted();
    expect(await runSaga({ db, payments: h.payments, faults: { failStep: { inventory_release: "always" } } }, cancellationId)).toBe("completed");
    const c = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, include: { timeline: true } }).then(numbered);
    expect(c.status).toBe("completed");
    expect(c.inventoryReleasedAt).toBeNull();
    expect(c.timeline.some((t) => t.step === "inventory_release" && t.status === "retry_scheduled")).toBe(true);
    expect((await state(orderId)).reservations.every((r) => r.released === 0)).toBe(true);
    const jobs = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'inventory_release_retry' AND key = ${`inventory:${cancellationId}`}`;
    expect(Number(jobs[0]!.n)).toBe(1);
  });
});
