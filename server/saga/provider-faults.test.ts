import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as adyenWebhook } from "@/app/api/webhooks/adyen/route";
import { POST as paypalWebhook } from "@/app/api/webhooks/paypal/route";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";
import { loadCancellation, toCancellationView } from "@/server/cancellations/cancellation-view";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import type { TImportOrderInput } from "@/server/orders/import-order.schema";
import type { FakeProvider, FaultKind } from "@/fakes/payments/store";
import { createPaymentProviders, loadPaymentConfig, type PaymentProviders } from "@/server/payments/registry";
import { unique } from "@/test/factories";
import { actorFor, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";
import type { SagaFaults } from "./faults";
import { runSaga } from "./run-saga";

/*
 * SPEC §6 "Provider outcomes", case by case, with the real SDKs against the provider fake and the
 * real webhook route handlers. Every case ends by checking the fake's own ledger (exactly one money
 * operation for the tender and step, under our key), our ledger (the intent row and one outbox
 * event), the tender's totals, the allocation's status and the open manual-refund tasks.
 */

const db = getDb();
let h: SagaHarness;
let relay: Server;
const routes: Record<string, (req: Request) => Promise<Response>> = {
  "/api/webhooks/stripe": stripeWebhook,
  "/api/webhooks/paypal": paypalWebhook,
  "/api/webhooks/adyen": adyenWebhook,
};
/** Every notification the fake delivered, with our answer and whether its operation was settled once we answered. */
const deliveries: { path: string; body: string; headers: Record<string, string>; status: number; settledKeys: string[] }[] = [];
/** While set, notifications wait at the door: a test decides when the provider's webhook may arrive. */
let held: Promise<void> | null = null;
function holdNotifications(): () => void {
  let open!: () => void;
  held = new Promise<void>((r) => (open = r));
  return () => {
    held = null;
    open();
  };
}

beforeAll(async () => {
  h = await startSagaHarness();
  relay = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    if (held) await held;
    const response = await routes[req.url!]!(new Request(`http://localhost${req.url}`, { method: "POST", body, headers }));
    const settled = await db.providerOperation.findMany({ where: { status: "succeeded" }, select: { idempotencyKey: true } });
    deliveries.push({ path: req.url!, body, headers, status: response.status, settledKeys: settled.map((s) => s.idempotencyKey) });
    res.writeHead(response.status).end(await response.text());
  });
  await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
  h.fake.settings.webhookBaseUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});
afterAll(async () => {
  relay.close();
  await h.stop();
});

/** Ports with a short per-attempt timeout and one attempt per call, so a fault decides the call's outcome. */
function ports(env: Record<string, string> = {}): PaymentProviders {
  return createPaymentProviders(
    loadPaymentConfig({
      ...process.env,
      ...h.env,
      PAYMENT_PROVIDER_TIMEOUT_MS: "400",
      PAYMENT_PROVIDER_ATTEMPTS: "1",
      PAYMENT_BREAKER_THRESHOLD: "100",
      PROVIDER_UNKNOWN_HORIZON_MS: "60000",
      PROVIDER_UNKNOWN_RETRY_BASE_MS: "10",
      ...env,
    }),
    { db },
  );
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Step = "refund" | "reversal";

/** One line of 2 × 25.00 EUR paid by one tender: captured (a cancellation refunds) or only authorized (it reverses). */
function orderPaidBy(provider: FakeProvider, step: Step): TImportOrderInput {
  const reference = provider === "stripe" ? `pi_${randomUUID().replace(/-/g, "")}` : unique(provider === "paypal" ? "AUTH" : "PSP").toUpperCase();
  return {
    channel: "web",
    externalId: unique("WEB-FAULT"),
    storeId: "STORE-001",
    currency: "EUR",
    customer: { id: unique("CUST"), name: "Fault Case", email: "fault@example.com" },
    lines: [{ lineId: "1", sku: "SKU-F", quantity: 2, unitPrice: "25.00", shipped: 0, locationId: "DC-1" }],
    tenders: [{ tenderId: "T1", method: provider === "paypal" ? "paypal" : "card", provider, providerReference: reference, authorized: "50.00", captured: step === "refund" ? "50.00" : "0.00", brand: "visa", last4: "4242" }],
  };
}

/**
 * Cancels both units: a refund of 50.00, or a reversal of the whole authorization (Stripe cancel,
 * PayPal void, Adyen cancels); with `units: 1`, half of it (Stripe metadata update, PayPal reauthorize).
 */
async function cancellationOn(provider: FakeProvider, step: Step, units = 2) {
  const order = orderPaidBy(provider, step);
  const { orderId } = await importForTest(order);
  const { body } = await submitCancellation({ db, actor: await actorFor() }, orderId, { orderLineIds: ["1"], quantities: [units], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  return { orderId, cancellationId: body.cancellationId, provider, step, reference: order.tenders[0]!.providerReference };
}
type Case = Awaited<ReturnType<typeof cancellationOn>>;

function fault(x: Case, kind: FaultKind, opts: { operation?: string; count?: number; ms?: number } = {}) {
  h.fake.state.addFault({ provider: x.provider, operation: opts.operation ?? x.step, reference: x.reference, kind, count: opts.count ?? 1, ms: opts.ms ?? 0 });
}

const run = (x: Case, payments: PaymentProviders, faults?: SagaFaults) => runSaga({ db, payments, faults }, x.cancellationId);

async function ledgers(x: Case) {
  const payment = h.fake.state.find(x.provider, x.reference)!;
  const allocation = numbered(await db.cancellationAllocation.findFirstOrThrow({ where: { cancellationId: x.cancellationId }, include: { providerOperation: true } }));
  const tender = numbered(await db.tender.findFirstOrThrow({ where: { orderId: x.orderId } }));
  const events = await db.outboxEvent.count({ where: { orderId: x.orderId, type: x.step === "refund" ? "RefundProcessed" : "AuthorizationReversed" } });
  const tasks = numbered(await db.manualRefundTask.findMany({ where: { cancellationId: x.cancellationId } }));
  const cancellation = await db.cancellation.findUniqueOrThrow({ where: { id: x.cancellationId } });
  return {
    fakeOperations: payment.operations.filter((o) => o.type === x.step),
    allocation,
    operation: allocation.providerOperation,
    moved: x.step === "refund" ? tender.refunded : tender.reversed,
    held: tender.refundHeld + tender.reversalHeld,
    events,
    tasks,
    openTasks: tasks.filter((t) => t.status === "open").length,
    status: cancellation.status,
  };
}

/** The outcome every good case ends in: the provider moved the amount (50.00 unless told) once, under our key, and we recorded it once. */
async function expectMovedOnce(x: Case, amount = 5000) {
  const l = await ledgers(x);
  expect(l.fakeOperations).toHaveLength(1);
  expect(l.fakeOperations[0]).toMatchObject({ amount, idempotencyKey: l.operation!.idempotencyKey });
  expect(l.operation).toMatchObject({ status: "succeeded", amount, operation: x.step });
  expect(l.allocation.status).toBe("succeeded");
  expect(l.moved).toBe(amount);
  expect(l.held).toBe(0);
  expect(l.events).toBe(1);
  expect(l.openTasks).toBe(0);
  expect(l.status).toBe("completed");
  return l;
}

const statusOf = async (x: Case) => toCancellationView((await loadCancellation(db, x.cancellationId))!, { full: true });

const scheduledWake = async (cancellationId: string) => {
  const rows = await db.$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${`saga:${cancellationId}`}`;
  return rows[0]?.run_at;
};

/** No worker runs here: the job the submit enqueued is removed, so the one the saga schedules for itself can be seen. */
const dropQueuedSaga = (cancellationId: string) => db.$executeRaw`SELECT graphile_worker.remove_job(${`saga:${cancellationId}`})`;

describe("timeout, but the provider did it", () => {
  for (const provider of ["stripe", "paypal"] as const) {
    for (const step of ["refund", "reversal"] as const) {
      it(`${provider} ${step}: the answer comes after our timeout; asking ${provider} finds it, no task, one operation`, async () => {
        const x = await cancellationOn(provider, step);
        const action = { stripe: { refund: "refund", reversal: "cancel" }, paypal: { refund: "refund", reversal: "void" } }[provider][step];
        fault(x, "slow_answer", { operation: action, ms: 1_500 });
        fault(x, "webhook_never", { operation: action });
        expect(await run(x, ports())).toBe("completed");
        const l = await expectMovedOnce(x);
        expect(l.operation!.attempts).toBe(1);
      });
    }
  }

  for (const step of ["refund", "reversal"] as const) {
    it(`adyen ${step}: the answer comes after our timeout; the notification, matched by our merchantReference, settles it`, async () => {
      const x = await cancellationOn("adyen", step);
      fault(x, "slow_answer", { operation: step === "refund" ? "refund" : "cancel", ms: 1_500 });
      const payments = ports();
      // Adyen cannot be asked: either its notification has settled it already, or the saga waits for it.
      const first = await run(x, payments);
      if (first === "waiting") {
        await until("the notification", async () => ((await ledgers(x)).allocation.status === "succeeded" ? true : undefined));
        expect(await run(x, payments)).toBe("completed");
      }
      const l = await expectMovedOnce(x);
      expect(l.operation!.attempts).toBe(1);
    });
  }

  for (const provider of ["stripe", "paypal"] as const) {
    it(`${provider} partial reversal: the answer comes after our timeout; the payment as ${provider} shows it proves it was done`, async () => {
      const x = await cancellationOn(provider, "reversal", 1);
      const action = provider === "stripe" ? "update" : "reauthorize";
      fault(x, "slow_answer", { operation: action, ms: 1_500 });
      const payments = ports();
      // Asking is itself bounded by our timeout: on a loaded machine the first run may find nothing
      // yet and wait; its next run asks again and finds the operation, never making a second one.
      if ((await run(x, payments)) === "waiting") {
        const next = await until("the saga to find the operation", async () => {
          await new Promise((r) => setTimeout(r, 250));
          const outcome = await run(x, payments);
          return outcome === "waiting" ? undefined : outcome;
        }, 30_000);
        expect(next).toBe("completed");
      }
      const l = await expectMovedOnce(x, 2500);
      const tender = await db.tender.findFirstOrThrow({ where: { orderId: x.orderId } });
      if (provider === "paypal") {
        // The reauthorization found by asking replaces the tender's authorization, as the answer would have.
        expect(tender.providerReference).toBe(h.fake.state.find("paypal", x.reference)!.authorizationId);
        expect(tender.providerReference).not.toBe(x.reference);
      } else {
        expect(h.fake.state.find("stripe", x.reference)!.metadata).toMatchObject({ reversed_amount: "2500", pc_last_reversal: l.operation!.idempotencyKey });
      }
    });
  }

  it("stripe refund: the provider does it only after we gave up (slow); the retry under the same key gets its answer", async () => {
    const x = await cancellationOn("stripe", "refund");
    fault(x, "slow", { ms: 800 });
    fault(x, "webhook_never");
    const payments = ports();
    await dropQueuedSaga(x.cancellationId);
    expect(await run(x, payments)).toBe("waiting");
    const { operation } = await ledgers(x);
    expect(operation).toMatchObject({ status: "unknown", attempts: 1 });
    // The retry is a job: it survives a worker restart.
    expect((await scheduledWake(x.cancellationId))!.getTime()).toBe(operation!.nextAttemptAt!.getTime());
    await until("the refund at the provider", () => (h.fake.state.find("stripe", x.reference)!.operations.length === 1 ? true : undefined));
    expect(await run(x, payments)).toBe("completed");
    const l = await expectMovedOnce(x);
    expect(l.operation!.attempts).toBe(2);
  });
});

describe("5xx, then success", () => {
  it("stripe refund: a 500 is unknown, never a task; the next run retries under the same key and succeeds once", async () => {
    const x = await cancellationOn("stripe", "refund");
    fault(x, "http_500");
    const payments = ports();
    expect(await run(x, payments)).toBe("waiting");
    const midway = await ledgers(x);
    expect(midway).toMatchObject({ openTasks: 0, fakeOperations: [] });
    expect(midway.allocation.status).toBe("pending");
    expect(midway.operation).toMatchObject({ status: "unknown", attempts: 1 });
    // The status says so: not a failure, a retry under the same key.
    const view = await statusOf(x);
    expect(view.refundDetails.allocation[0]).toMatchObject({ status: "pending", manualRefund: null, providerOutcome: { status: "unknown", attempts: 1, retryAt: midway.operation!.nextAttemptAt!.toISOString() } });
    expect(await run(x, payments)).toBe("completed");
    expect((await expectMovedOnce(x)).operation!.attempts).toBe(2);
  });
});

describe("decline", () => {
  it("paypal refund: a definitive no becomes a manual-refund task at once, marked as a decline; the provider moved nothing", async () => {
    const x = await cancellationOn("paypal", "refund");
    fault(x, "decline");
    expect(await run(x, ports())).toBe("completed");
    const l = await ledgers(x);
    expect(l.fakeOperations).toHaveLength(0);
    expect(l.operation).toMatchObject({ status: "declined", attempts: 1 });
    expect(l.allocation.status).toBe("manual_required");
    expect(l.tasks).toHaveLength(1);
    expect(l.tasks[0]).toMatchObject({ status: "open", origin: "declined", verifyAtProvider: false, amount: 5000 });
    // The task's amount counts as refunded: a person pays it.
    expect(l.moved).toBe(5000);
    expect(l.events).toBe(0);
  });
});

describe("webhooks", () => {
  it("adyen refund, notification lost: at the horizon the task says verify at the provider first; the notification that finally comes closes it", async () => {
    const x = await cancellationOn("adyen", "refund");
    fault(x, "webhook_never");
    const payments = ports();
    await dropQueuedSaga(x.cancellationId);
    expect(await run(x, payments)).toBe("waiting");
    const accepted = await ledgers(x);
    expect(accepted.operation).toMatchObject({ status: "accepted" });
    const wake = await scheduledWake(x.cancellationId);
    expect(wake!.getTime()).toBe(accepted.operation!.createdAt.getTime() + 60_000);

    // The horizon passes.
    await db.providerOperation.update({ where: { id: accepted.operation!.id }, data: { createdAt: new Date(Date.now() - 61_000) } });
    expect(await run(x, payments)).toBe("completed");
    const handedOver = await ledgers(x);
    expect(handedOver.allocation.status).toBe("manual_required");
    expect(handedOver.tasks).toMatchObject([{ status: "open", origin: "unverified_unknown", verifyAtProvider: true }]);
    expect(handedOver.fakeOperations).toHaveLength(1);
    expect((await statusOf(x)).refundDetails.allocation[0]).toMatchObject({ status: "manual_required", manualRefund: { origin: "unverified_unknown", verifyAtProvider: true, status: "open" } });

    const suppressed = h.fake.state.webhooks.find((w) => w.status === "suppressed" && w.body.includes(accepted.operation!.idempotencyKey))!;
    const late = await adyenWebhook(new Request("http://localhost/api/webhooks/adyen", { method: "POST", body: suppressed.body }));
    expect(late.status).toBe(200);
    const l = await ledgers(x);
    expect(l.allocation.status).toBe("succeeded");
    expect(l.tasks).toMatchObject([{ status: "done", reference: expect.stringContaining("confirmed by adyen") }]);
    expect(l.openTasks).toBe(0);
    expect(l.fakeOperations).toHaveLength(1);
    expect(l.moved).toBe(5000);
    expect(l.events).toBe(1);
    expect(await db.auditLog.count({ where: { action: "manual_refund.closed_by_provider", entityId: l.tasks[0]!.id } })).toBe(1);
    const timeline = await db.cancellationTimelineEntry.findMany({ where: { cancellationId: x.cancellationId, step: "payment", status: "succeeded" } });
    expect(timeline.map((t) => t.detail)).toEqual([expect.stringContaining("the manual-refund task was closed")]);
    expect((await statusOf(x)).refundDetails.allocation[0]).toMatchObject({ status: "succeeded", manualRefund: { status: "done" }, providerOutcome: { status: "succeeded" } });
  });

  it("adyen refund, notification duplicated: the second delivery answers 2xx and changes nothing", async () => {
    const x = await cancellationOn("adyen", "refund");
    const payments = ports();
    // Adyen's notification may come back faster than the saga's run ends; let it in only after.
    const letIn = holdNotifications();
    expect(await run(x, payments)).toBe("waiting");
    letIn();
    const { operation } = await ledgers(x);
    const delivered = await until("the notification", () => deliveries.find((d) => d.body.includes(operation!.idempotencyKey)));
    expect(delivered.status).toBe(200);
    const again = await adyenWebhook(new Request("http://localhost/api/webhooks/adyen", { method: "POST", body: delivered.body }));
    expect(again.status).toBe(200);
    expect(await again.text()).toBe("[accepted]");
    expect(await run(x, payments)).toBe("completed");
    await expectMovedOnce(x);
  });

  it("stripe refund, notification duplicated: both deliveries answer 2xx, one refund recorded", async () => {
    const x = await cancellationOn("stripe", "refund");
    expect(await run(x, ports())).toBe("completed");
    const { operation } = await ledgers(x);
    const delivered = await until("the notification", () => deliveries.find((d) => d.path === "/api/webhooks/stripe" && d.body.includes(operation!.idempotencyKey)));
    expect(delivered.status).toBe(200);
    const again = await stripeWebhook(new Request("http://localhost/api/webhooks/stripe", { method: "POST", body: delivered.body, headers: delivered.headers }));
    expect(again.status).toBe(200);
    await expectMovedOnce(x);
  });

  for (const provider of ["stripe", "adyen"] as const) {
    it(`${provider} refund: the notification arrives before the call returns; it settles by our key and the late answer changes nothing`, async () => {
      const x = await cancellationOn(provider, "refund");
      fault(x, "slow_answer", { ms: 250 });
      expect(await run(x, ports({ PAYMENT_PROVIDER_TIMEOUT_MS: "3000" }))).toBe("completed");
      const l = await expectMovedOnce(x);
      const delivery = deliveries.find((d) => d.body.includes(l.operation!.idempotencyKey))!;
      expect(delivery.status).toBe(200);
      expect(delivery.settledKeys).toContain(l.operation!.idempotencyKey);
      expect(l.operation!.attempts).toBe(1);
    });
  }

  it("an Adyen batch: a forged item and an already-settled item do not block the new one", async () => {
    const a = await cancellationOn("adyen", "reversal");
    const b = await cancellationOn("adyen", "reversal");
    fault(a, "webhook_never", { operation: "cancel" });
    fault(b, "webhook_never", { operation: "cancel" });
    const payments = ports();
    expect(await run(a, payments)).toBe("waiting");
    expect(await run(b, payments)).toBe("waiting");
    const itemOf = async (x: Case) => {
      const { operation } = await ledgers(x);
      const body = h.fake.state.webhooks.find((w) => w.body.includes(operation!.idempotencyKey))!.body;
      return (JSON.parse(body) as { notificationItems: { NotificationRequestItem: Record<string, unknown> }[] }).notificationItems[0]!;
    };
    const [itemA, itemB] = [await itemOf(a), await itemOf(b)];
    const batch = (items: unknown[]) => adyenWebhook(new Request("http://localhost/api/webhooks/adyen", { method: "POST", body: JSON.stringify({ live: "false", notificationItems: items }) }));
    expect((await batch([itemA])).status).toBe(200);
    const forged = { NotificationRequestItem: { ...itemB.NotificationRequestItem, pspReference: "FORGED" } };
    const answer = await batch([forged, itemA, { nothing: true }, itemB]);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe("[accepted]");
    expect(await run(a, payments)).toBe("completed");
    expect(await run(b, payments)).toBe("completed");
    await expectMovedOnce(a);
    await expectMovedOnce(b);
  });
});

describe("our own crash at every boundary of a provider operation", () => {
  for (const boundary of ["before_intent", "after_intent", "after_provider_call", "after_record"] as const) {
    it(`stripe refund, crash ${boundary}: the resumed saga moves the money exactly once`, async () => {
      const x = await cancellationOn("stripe", "refund");
      const payments = ports();
      // Stripe's refund.created must not settle the operation before the midway state is read.
      const letIn = holdNotifications();
      await expect(run(x, payments, { crashAt: boundary, crashMode: "throw" })).rejects.toThrow(`simulated crash ${boundary}`);
      const midway = await ledgers(x);
      letIn();
      expect(midway.fakeOperations).toHaveLength(boundary === "before_intent" || boundary === "after_intent" ? 0 : 1);
      expect(midway.operation?.status).toBe({ before_intent: undefined, after_intent: "calling", after_provider_call: "calling", after_record: "succeeded" }[boundary]);
      expect(await run(x, payments)).toBe("completed");
      await expectMovedOnce(x);
    });
  }
});

describe("database unavailable mid-step", () => {
  it("paypal refund: the connection dies while the provider's answer is recorded; the job fails, and its retry records the same refund once", async () => {
    const x = await cancellationOn("paypal", "refund");
    // Without the webhook, only the retry can record it.
    fault(x, "webhook_never");
    const payments = ports();
    await expect(run(x, payments, { loseDatabaseAfterProviderCall: 1 })).rejects.toThrow();
    const midway = await ledgers(x);
    expect(midway.fakeOperations).toHaveLength(1);
    expect(midway.allocation.status).toBe("pending");
    expect(midway.operation).toMatchObject({ status: "calling", attempts: 1 });
    expect(await run(x, payments)).toBe("completed");
    expect((await expectMovedOnce(x)).operation!.attempts).toBe(2);
  });
});

describe("unknown until the horizon", () => {
  it("stripe refund that never reaches the provider: at the horizon, asking shows nothing was done, so the task is a reconciled unknown", async () => {
    const x = await cancellationOn("stripe", "refund");
    fault(x, "timeout", { count: 10 });
    const payments = ports();
    expect(await run(x, payments)).toBe("waiting");
    const { operation } = await ledgers(x);
    await db.providerOperation.update({ where: { id: operation!.id }, data: { createdAt: new Date(Date.now() - 61_000) } });
    expect(await run(x, payments)).toBe("completed");
    const l = await ledgers(x);
    expect(l.fakeOperations).toHaveLength(0);
    expect(l.operation).toMatchObject({ status: "absent", attempts: 1 });
    expect(l.allocation.status).toBe("manual_required");
    expect(l.tasks).toMatchObject([{ status: "open", origin: "reconciled_unknown", verifyAtProvider: false }]);
  });
});
