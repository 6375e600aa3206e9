import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as adyenWebhook } from "@/app/api/webhooks/adyen/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { FAKE_DEFAULTS } from "@/server/config/payment-fake-defaults";
import { unique } from "@/test/factories";
import { actorFor, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";
import { runSaga } from "./run-saga";
import { timeOutPendingPayments } from "./time-out-pending-payments";
import { until } from "@/test/support/until";

const db = getDb();
let h: SagaHarness;
let relay: Server;
const deliveries: { body: string; status: number }[] = [];

// Stands in for the app: the fake POSTs its signed notifications here, and they go to the real route handler.
beforeAll(async () => {
  h = await startSagaHarness();
  relay = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const response = await adyenWebhook(new Request("http://localhost/api/webhooks/adyen", { method: "POST", body, headers: { "content-type": "application/json" } }));
    deliveries.push({ body, status: response.status });
    res.writeHead(response.status).end(await response.text());
  });
  await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
  h.fake.settings.webhookBaseUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});
afterAll(async () => {
  relay.close();
  await h.stop();
});

async function adyenRefundWaitingForWebhook() {
  const psp = unique("PSP").toUpperCase();
  const { orderId } = await importForTest({
    channel: "web",
    externalId: unique("WEB-ADYEN"),
    storeId: "STORE-002",
    currency: "EUR",
    customer: { id: unique("CUST"), name: "Adyen Customer", email: "adyen@example.com" },
    lines: [{ lineId: "1", sku: "SKU-AD", quantity: 2, unitPrice: "25.00", shipped: 0, locationId: "DC-1" }],
    tenders: [{ tenderId: "T1", method: "card", provider: "adyen", providerReference: psp, authorized: "50.00", captured: "50.00", brand: "mc", last4: "5454" }],
  });
  const { body } = await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  return { orderId, cancellationId: body.cancellationId, psp };
}

describe("Adyen confirms by webhook", () => {
  it("a refund answers pending, then settles exactly once when the signed notification arrives; a replay answers 2xx and changes nothing", async () => {
    const { orderId, cancellationId } = await adyenRefundWaitingForWebhook();
    h.fake.state.addFault({ provider: "adyen", operation: undefined, reference: undefined, kind: "webhook_delay", count: 1, ms: 300 });
    expect(await runSaga({ db, payments: h.payments }, cancellationId)).toBe("waiting");
    const pending = await db.cancellationAllocation.findFirstOrThrow({ where: { cancellationId } }).then(numbered);
    expect(pending.status).toBe("pending");
    expect(pending.providerReference).toBeTruthy();

    const settled = await until("the webhook to settle the refund", async () => {
      const a = await db.cancellationAllocation.findFirstOrThrow({ where: { cancellationId } }).then(numbered);
      return a.status === "succeeded" ? a : undefined;
    });
    expect(settled.providerReference).toBe(pending.providerReference);
    expect((await db.tender.findFirstOrThrow({ where: { orderId } }).then(numbered)).refunded).toBe(2500);
    // The webhook re-enqueued the saga; running it finishes the cancellation.
    expect(await runSaga({ db, payments: h.payments }, cancellationId)).toBe("completed");

    const delivered = deliveries.find((d) => d.body.includes(pending.providerReference!))!;
    expect(delivered.status).toBe(200);
    const replay = await adyenWebhook(new Request("http://localhost/api/webhooks/adyen", { method: "POST", body: delivered.body }));
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe("[accepted]");
    expect((await db.tender.findFirstOrThrow({ where: { orderId } }).then(numbered)).refunded).toBe(2500);
    expect(await db.outboxEvent.count({ where: { orderId, type: "RefundProcessed" } })).toBe(1);
  });

  it("a forged or malformed notification gets 400 and changes nothing", async () => {
    const { cancellationId } = await adyenRefundWaitingForWebhook();
    h.fake.state.addFault({ provider: "adyen", operation: undefined, reference: undefined, kind: "webhook_never", count: 1, ms: 0 });
    await runSaga({ db, payments: h.payments }, cancellationId);
    const pending = await db.cancellationAllocation.findFirstOrThrow({ where: { cancellationId } }).then(numbered);
    const item = {
      eventCode: "REFUND",
      success: "true",
      pspReference: pending.providerReference,
      originalReference: "X",
      merchantAccountCode: FAKE_DEFAULTS.adyenMerchantAccount,
      merchantReference: "forged",
      amount: { value: 2500, currency: "EUR" },
      eventDate: new Date().toISOString(),
      additionalData: { hmacSignature: createHmac("sha256", Buffer.from("00".repeat(32), "hex")).update("forged").digest("base64") },
    };
    const forged = await adyenWebhook(new Request("http://localhost/api/webhooks/adyen", { method: "POST", body: JSON.stringify({ live: "false", notificationItems: [{ NotificationRequestItem: item }] }) }));
    expect(forged.status).toBe(400);
    const malformed = await adyenWebhook(new Request("http://localhost/api/webhooks/adyen", { method: "POST", body: "{not json" }));
    expect(malformed.status).toBe(400);
    expect((await db.cancellationAllocation.findFirstOrThrow({ where: { cancellationId } }).then(numbered)).status).toBe("pending");
  });
});

describe("two reversals on one Adyen authorization", () => {
  it("the second counts the first, still unconfirmed, so Adyen ends with both released", async () => {
    const psp = unique("PSP").toUpperCase();
    const { orderId } = await importForTest({
      channel: "web",
      externalId: unique("WEB-ADYEN2"),
      storeId: "STORE-002",
      currency: "EUR",
      customer: { id: unique("CUST"), name: "Adyen Customer", email: "adyen2@example.com" },
      lines: [{ lineId: "1", sku: "SKU-AD2", quantity: 4, unitPrice: "25.00", locationId: "DC-1" }],
      tenders: [{ tenderId: "T1", method: "card", provider: "adyen", providerReference: psp, authorized: "100.00", captured: "0.00", brand: "mc", last4: "5454" }],
    });
    const agent = await actorFor();
    const cancel = async () => (await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 })).body.cancellationId;
    h.fake.state.addFault({ provider: "adyen", operation: undefined, reference: undefined, kind: "webhook_never", count: 2, ms: 0 });
    const first = await cancel();
    expect(await runSaga({ db, payments: h.payments }, first)).toBe("waiting");
    const second = await cancel();
    expect(await runSaga({ db, payments: h.payments }, second)).toBe("waiting");
    expect(h.fake.state.find("adyen", psp)!.reversed).toBe(5000);
  });
});

describe("a confirmation that never comes", () => {
  it("after the timeout the operation becomes a manual-refund task and the cancellation completes", async () => {
    const { cancellationId } = await adyenRefundWaitingForWebhook();
    h.fake.state.addFault({ provider: "adyen", operation: undefined, reference: undefined, kind: "webhook_never", count: 1, ms: 0 });
    expect(await runSaga({ db, payments: h.payments }, cancellationId)).toBe("waiting");
    expect(await timeOutPendingPayments(db, new Date(), 3_600_000)).toBe(0);
    expect(await timeOutPendingPayments(db, new Date(Date.now() + 2 * 3_600_000), 3_600_000)).toBeGreaterThanOrEqual(1);
    const c = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, include: { allocations: true, manualTasks: true } }).then(numbered);
    expect(c.allocations[0]!.status).toBe("manual_required");
    expect(c.manualTasks).toHaveLength(1);
    expect(await runSaga({ db, payments: h.payments }, cancellationId)).toBe("completed");

    // The provider confirms after all: the task is closed so that nobody refunds twice.
    const allocation = c.allocations[0]!;
    const { settleFromWebhook } = await import("./settle-webhook");
    expect(await settleFromWebhook(db, { provider: "adyen", eventId: unique("late"), providerReference: allocation.providerReference!, operation: allocation.operation as "refund", success: true, amount: Number(allocation.amount) })).toBe("settled");
    const after = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, include: { allocations: true, manualTasks: true } }).then(numbered);
    expect(after.allocations[0]!.status).toBe("succeeded");
    expect(after.manualTasks.map((t) => t.status)).toEqual(["done"]);
  });
});

describe("Stripe webhooks", () => {
  it("refuse a bad signature", async () => {
    const response = await stripeWebhook(new Request("http://localhost/api/webhooks/stripe", { method: "POST", body: "{}", headers: { "stripe-signature": "t=1,v1=deadbeef" } }));
    expect(response.status).toBe(400);
  });
});
