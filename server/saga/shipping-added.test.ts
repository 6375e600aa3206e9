import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as approveRoute } from "@/app/api/v1/cancellations/[cancellationId]/approve/route";
import { POST as rejectRoute } from "@/app/api/v1/cancellations/[cancellationId]/reject/route";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { GET as statusRoute } from "@/app/api/v1/orders/[orderId]/cancellations/[cancellationId]/route";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { DEFAULT_BUSINESS_RULES } from "@/server/domain/approval-policy";
import { apiClient, callRoute } from "@/test/rest";
import { exampleA, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";
import { runSaga } from "./run-saga";

/*
 * SPEC §3, shipping with held units. Example A paid by card only (350.99 captured on Stripe), an
 * agent limit of 100.00 USD so the agent's 2 of A (194.85) wait for approval while a store manager
 * cancels the rest (146.14, no shipping: units are still held). No worker runs: each saga is run
 * by the test, so the order in which they finish is the test's choice.
 */

const db = getDb();
let h: SagaHarness;

let rulesVersion = 0;
/** Saves the rules a test runs under as the next version (the latest version is the one in force). */
async function useRules(shippingPolicy?: "never") {
  const rules = { ...DEFAULT_BUSINESS_RULES, agentLimits: { USD: "100.00" }, ...(shippingPolicy ? { shippingPolicy } : {}) };
  await db.businessRules.create({ data: { version: ++rulesVersion, rules: JSON.parse(JSON.stringify(rules)) } });
}

beforeAll(async () => {
  h = await startSagaHarness();
});
// Each test starts under the default shipping policy, whatever the test before it saved.
beforeEach(async () => {
  await useRules();
});
afterAll(async () => {
  await h.stop();
});

type View = {
  cancellationId: string;
  status: string;
  refundAmount: string;
  totals: { shipping: string; total: string };
  shippingRefundAdded: { shipping: string; shippingTax: string; total: string; refunded: boolean } | null;
  refundDetails: { total: string; allocation: { tenderId: string; operation: string; amount: string; status: string }[] };
  timeline: { step: string; status: string; detail: string | null }[];
};

const body = (lines: string[], quantities: number[]) => ({ orderLineIds: lines, quantities, reason: "CUSTOMER_REQUEST", refundMethod: "original" });
const submit = (key: string, orderId: string, b: unknown) =>
  callRoute<View>(submitRoute, { key, params: { orderId }, body: b, path: `/api/v1/orders/${orderId}/cancel-partial?wait=0`, headers: { "idempotency-key": randomUUID() } });
const status = (key: string, orderId: string, cancellationId: string) => callRoute<View>(statusRoute, { key, params: { orderId, cancellationId } });
const decide = (route: typeof approveRoute, key: string, cancellationId: string) =>
  callRoute<View>(route, { key, params: { cancellationId }, method: "POST", body: { note: "checked with the customer" }, path: `/api/v1/cancellations/${cancellationId}/x` });
const saga = (cancellationId: string) => runSaga({ db, payments: h.payments, databaseUrl: process.env.DATABASE_URL! }, cancellationId);

/** Example A with its 350.99 captured on the card, so every part is a Stripe refund through the provider path. */
async function cardOrder() {
  const order = exampleA("STORE-001");
  const card = order.tenders[0]!;
  return importForTest({ ...order, tenders: [{ ...card, authorized: "350.99", captured: "350.99" }] });
}

async function books(orderId: string) {
  const o = numbered(await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: true, tenders: true } }));
  return { shippingRefunded: o.shippingRefunded, lines: o.lines.map((l) => [l.lineId, l.cancelled, l.pendingCancel]).sort(), tender: o.tenders[0]! };
}

/** Three cancellations' worth of refunds at the fake, per idempotency key. */
function fakeRefunds(reference: string) {
  const payment = h.fake.state.find("stripe", reference)!;
  return payment.operations.filter((op) => op.type === "refund");
}

async function heldAndRest(orderId: string) {
  const agent = await apiClient({ role: "customer_service_agent" });
  const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"], scopes: ["orders:read", "orders:write", "cancellations:write", "cancellations:approve"] });
  const held = await submit(agent.key, orderId, body(["A"], [2]));
  expect([held.status, held.body.status, held.body.refundAmount]).toEqual([201, "pending_approval", "194.85"]);
  // The rest of the order: its last units, but 2 of A are held, so no shipping (SPEC §3).
  const shown = await callRoute<View>(previewRoute, { key: manager.key, params: { orderId }, body: body(["A", "B"], [1, 1]) });
  expect([shown.body.totals.shipping, shown.body.totals.total]).toEqual(["0.00", "146.14"]);
  const rest = await submit(manager.key, orderId, body(["A", "B"], [1, 1]));
  expect([rest.status, rest.body.status, rest.body.refundAmount, rest.body.totals.shipping]).toEqual([201, "processing", "146.14", "0.00"]);
  return { agent, manager, held: held.body.cancellationId, rest: rest.body.cancellationId };
}

async function expectShippingAddedTo(key: string, orderId: string, cancellationId: string, previewed: string, reference: string) {
  const view = (await status(key, orderId, cancellationId)).body;
  expect(view.status).toBe("completed");
  expect(view.refundAmount).toBe(previewed); // the amount committed is the amount previewed
  expect(view.shippingRefundAdded).toEqual({ shipping: "10.00", shippingTax: "0.00", total: "10.00", refunded: true });
  expect(view.refundDetails.total).toBe((Number(previewed) + 10).toFixed(2));
  expect(view.refundDetails.allocation.at(-1)).toEqual(expect.objectContaining({ tenderId: "T1", operation: "refund", amount: "10.00", status: "succeeded" }));
  const entry = view.timeline.find((t) => t.step === "shipping_refund")!;
  expect(entry.status).toBe("added");
  expect(entry.detail).toContain("shipping refund of $10.00 added");

  const events = await db.outboxEvent.findMany({ where: { orderId, type: "ShippingRefundAdded" } });
  expect(events).toHaveLength(1);
  expect(events[0]!.payload).toMatchObject({ cancellationId, shipping: 1000, shippingTax: 0, amount: 1000, allocation: [{ tenderId: "T1", operation: "refund", amount: 1000 }] });
  const allocation = await db.cancellationAllocation.findFirstOrThrow({ where: { cancellationId, shippingAdded: true }, include: { providerOperation: true } });
  expect(allocation.providerOperation).toMatchObject({ status: "succeeded", provider: "stripe", operation: "refund" });
  const completed = await db.outboxEvent.findFirstOrThrow({ where: { orderId, type: "CancellationCompleted", payload: { path: ["cancellationId"], equals: cancellationId } } });
  expect(completed.payload).toMatchObject({ shippingRefundAdded: 1000 });

  // Refunded exactly what was paid, once each: three refunds at the provider, one per key.
  const after = await books(orderId);
  expect(after.shippingRefunded).toBe(1000);
  expect(after.lines).toEqual([["A", 3, 0], ["B", 1, 0]]);
  expect([after.tender.refunded, after.tender.refundHeld]).toEqual([35099, 0]);
  const refunds = fakeRefunds(reference);
  expect(refunds.reduce((s, op) => s + op.amount, 0)).toBe(35099);
  expect(new Set(refunds.map((op) => op.idempotencyKey)).size).toBe(refunds.length);
  expect(refunds.find((op) => op.idempotencyKey === allocation.providerOperation!.idempotencyKey)?.amount).toBe(1000);

  // Run again (a redelivered job, a second worker): nothing more moves.
  expect(await saga(cancellationId)).toBe("not_processing");
  expect(fakeRefunds(reference)).toHaveLength(refunds.length);
  expect(await db.outboxEvent.count({ where: { orderId, type: "ShippingRefundAdded" } })).toBe(1);
}

describe("shipping with held units (SPEC §3)", () => {
  it("the held cancellation, approved and completed last, adds the shipping refund as its own allocation, timeline entry and event", async () => {
    const { orderId } = await cardOrder();
    const reference = (await db.tender.findFirstOrThrow({ where: { orderId } })).providerReference;
    const { manager, held, rest } = await heldAndRest(orderId);

    expect(await saga(rest)).toBe("completed");
    const between = await books(orderId);
    expect(between.shippingRefunded).toBe(0); // not fully cancelled yet: 2 of A are held
    expect((await status(manager.key, orderId, rest)).body.shippingRefundAdded).toBeNull();

    expect((await decide(approveRoute, manager.key, held)).status).toBe(200);
    expect(await saga(held)).toBe("completed");
    await expectShippingAddedTo(manager.key, orderId, held, "194.85", reference);
    expect((await status(manager.key, orderId, rest)).body.shippingRefundAdded).toBeNull();
  });

  it("the cancellation that took the last units without shipping, completing after the held one, adds it", async () => {
    const { orderId } = await cardOrder();
    const reference = (await db.tender.findFirstOrThrow({ where: { orderId } })).providerReference;
    const { manager, held, rest } = await heldAndRest(orderId);

    expect((await decide(approveRoute, manager.key, held)).status).toBe(200);
    expect(await saga(held)).toBe("completed");
    expect((await books(orderId)).shippingRefunded).toBe(0); // the rest's units are still held
    expect(await saga(rest)).toBe("completed");
    await expectShippingAddedTo(manager.key, orderId, rest, "146.14", reference);
    expect((await status(manager.key, orderId, held)).body.shippingRefundAdded).toBeNull();
  });

  it("shipping the tenders cannot take (money moved outside): a manual-refund task and an ops incident, and the cancellation waits for the person", async () => {
    const { orderId } = await cardOrder();
    const { manager, held, rest } = await heldAndRest(orderId);
    expect(await saga(rest)).toBe("completed");
    // 10.00 refunded at the till: the card has nothing left beyond the held 194.85.
    await db.tender.updateMany({ where: { orderId }, data: { refunded: { increment: 1000 } } });
    expect((await decide(approveRoute, manager.key, held)).status).toBe(200);
    expect(await saga(held)).toBe("completed");

    const tasks = numbered(await db.manualRefundTask.findMany({ where: { cancellationId: held } }));
    expect(tasks).toEqual([expect.objectContaining({ amount: 1000, currency: "USD", status: "open", origin: "shipping_unrefundable", tenderId: null })]);
    const incidents = await db.opsIncident.findMany({ where: { kind: "shipping_unrefundable", subject: held } });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.details).toMatchObject({ cancellationId: held, amount: 1000, currency: "USD" });
    const view = (await status(manager.key, orderId, held)).body as View & { progress: { phase: string } };
    expect(view.progress.phase).toBe("waiting_for_manual_refund");
    expect(view.shippingRefundAdded).toMatchObject({ total: "10.00" });
    expect(view.refundDetails.allocation.at(-1)).toEqual(expect.objectContaining({ operation: "manual", amount: "10.00", status: "manual_required" }));
    const after = await books(orderId);
    expect([after.shippingRefunded, after.tender.refunded, after.tender.refundHeld]).toEqual([1000, 35099, 0]);
    expect(await saga(held)).toBe("not_processing");
    expect(await db.manualRefundTask.count({ where: { cancellationId: held } })).toBe(1);
  });

  it("the held cancellation rejected: its units come back, nothing is added, and the cancellation that later takes them refunds the shipping by the policy", async () => {
    const { orderId } = await cardOrder();
    const reference = (await db.tender.findFirstOrThrow({ where: { orderId } })).providerReference;
    const { manager, held, rest } = await heldAndRest(orderId);
    expect(await saga(rest)).toBe("completed");
    expect((await decide(rejectRoute, manager.key, held)).body.status).toBe("rejected");
    expect((await books(orderId)).lines).toEqual([["A", 1, 0], ["B", 1, 0]]);

    const shown = await callRoute<View>(previewRoute, { key: manager.key, params: { orderId }, body: body(["A"], [2]) });
    expect([shown.body.totals.shipping, shown.body.totals.total]).toEqual(["10.00", "204.85"]);
    const last = await submit(manager.key, orderId, body(["A"], [2]));
    expect(await saga(last.body.cancellationId)).toBe("completed");
    const view = (await status(manager.key, orderId, last.body.cancellationId)).body;
    expect([view.refundAmount, view.refundDetails.total, view.shippingRefundAdded]).toEqual(["204.85", "204.85", null]);
    expect(await db.outboxEvent.count({ where: { orderId, type: "ShippingRefundAdded" } })).toBe(0);
    const after = await books(orderId);
    expect([after.shippingRefunded, after.tender.refunded]).toEqual([1000, 35099]);
    expect(fakeRefunds(reference).reduce((s, op) => s + op.amount, 0)).toBe(35099);
  });

  it("under the shipping policy 'never' the saga that fully cancels the order adds nothing", async () => {
    await useRules("never");
    const { orderId } = await cardOrder();
    const { manager, held, rest } = await heldAndRest(orderId);
    expect(await saga(rest)).toBe("completed");
    expect((await decide(approveRoute, manager.key, held)).status).toBe(200);
    expect(await saga(held)).toBe("completed");
    const after = await books(orderId);
    expect(after.lines).toEqual([["A", 3, 0], ["B", 1, 0]]);
    expect([after.shippingRefunded, after.tender.refunded]).toEqual([0, 34099]);
    expect(await db.outboxEvent.count({ where: { orderId, type: "ShippingRefundAdded" } })).toBe(0);
    expect((await status(manager.key, orderId, held)).body.shippingRefundAdded).toBeNull();
  });

  it("the held cancellation rejected after the rest completed: the order is not fully cancelled and no shipping moves", async () => {
    const { orderId } = await cardOrder();
    const { manager, held, rest } = await heldAndRest(orderId);
    expect((await decide(rejectRoute, manager.key, held)).body.status).toBe("rejected");
    expect(await saga(rest)).toBe("completed");
    const after = await books(orderId);
    expect([after.shippingRefunded, after.tender.refunded, after.tender.refundHeld]).toEqual([0, 14614, 0]);
    expect(await db.outboxEvent.count({ where: { orderId, type: "ShippingRefundAdded" } })).toBe(0);
  });
});
