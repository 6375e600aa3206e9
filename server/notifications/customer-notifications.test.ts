import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailDev, type MailDevHandle } from "@/scripts/lib/maildev";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { withdrawCancellation } from "@/server/cancellations/withdraw-cancellation";
import { getDb } from "@/server/db/client";
import { startWorker } from "@/server/worker/worker";
import { actorFor, exampleA, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { reloadConfig } from "@/server/config";
import { loadNotificationConfig } from "@/server/config/notifications";
import { enqueueCustomerNotification } from "@/server/events/notification-jobs";
import { createNotifier, type Notifier } from "./notifier";
import { listCustomerMessages } from "./list-customer-messages";
import { notifyCustomer } from "./notify-customer";
import { previewCustomerEmail } from "./preview-customer-email";

// The real MailDev SMTP server on free loopback ports, the real worker, a real database.
const db = getDb();
let h: SagaHarness;
let mail: MailDevHandle;
let notifier: Notifier;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  h = await startSagaHarness();
  mail = await startMailDev({ smtpPort: 0, webPort: 0 });
  const config = loadNotificationConfig({ SMTP_URL: mail.smtpUrl, MAIL_FROM: "Shop <orders@shop.example>", SUPPORT_EMAIL: "help@shop.example", NOTIFY_RETRY_ATTEMPTS: "40", NOTIFY_RETRY_BASE_MS: "100", NOTIFY_RETRY_MAX_MS: "300" });
  notifier = createNotifier(db, config, () => {});
  worker = await startWorker({ db, databaseUrl: process.env.DATABASE_URL!, payments: h.payments, notifier, concurrency: 4, log: () => {} });
});
afterAll(async () => {
  await worker?.stop();
  notifier?.mailer?.close();
  await mail?.close();
  await h?.stop();
});

type Falsy = undefined | null | false | 0 | "";
async function until<T>(what: string, probe: () => Promise<T | Falsy>, timeoutMs = 25_000): Promise<Exclude<T, Falsy>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Exclude<T, Falsy>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const customerEmail = () => `ada-${randomUUID().slice(0, 8)}@example.com`;
const inboxOf = async (address: string) => (await mail.emails()).filter((e) => e.to.some((t) => t.address === address));
const notificationsOf = (cancellationId: string) => db.customerNotification.findMany({ where: { cancellationId } });
const timelineOf = async (cancellationId: string) =>
  (await db.cancellationTimelineEntry.findMany({ where: { cancellationId, step: "notification" }, orderBy: [{ at: "asc" }, { id: "asc" }] })).map((t) => `${t.status}: ${t.detail}`);
const notifyJobs = async () => Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'notify_customer'`)[0]!.n);

async function completedCancellation(email: string) {
  const order = exampleA();
  order.customer.email = email;
  const agent = await actorFor();
  const { orderId } = await importForTest(order, agent);
  const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  return { orderId, cancellationId: answer.body.cancellationId, externalId: order.externalId };
}

describe("customer email from the outbox events (SPEC §10)", () => {
  it("a completed cancellation sends exactly one email that names the refund, and the timeline says so only after SMTP accepted it", async () => {
    const email = customerEmail();
    const { cancellationId, externalId } = await completedCancellation(email);
    const [sent] = await until("the email to be sent", async () => (await notificationsOf(cancellationId)).filter((n) => n.status === "sent").length && notificationsOf(cancellationId));
    const inbox = await until("the email in MailDev", async () => (await inboxOf(email)).length && inboxOf(email));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.subject).toBe(`Your cancellation for order ${externalId} is complete`);
    expect(inbox[0]!.text).toContain("2 × Oxford shirt, red, M");
    expect(inbox[0]!.text).toContain("Your refund: $194.85");
    expect(inbox[0]!.text).toContain("$194.85: the hold on your card is released, so you will not be charged for it");
    expect(inbox[0]!.text).toContain("help@shop.example");
    expect(inbox[0]!.text).not.toContain(cancellationId);
    expect(inbox[0]!.html).toContain("Your refund: $194.85");
    expect(inbox[0]!.headers["message-id"]).toBe(sent!.providerMessageId);
    expect(sent).toMatchObject({ eventType: "CancellationCompleted", template: "cancellation_completed", locale: "en-US", recipient: email, attempts: 1, lastError: null });
    expect(sent!.providerResponse).toMatch(/^250 /);
    expect(await timelineOf(cancellationId)).toEqual(["sent: Email sent to a•••@example.com"]);
    const all = await db.cancellationTimelineEntry.findMany({ where: { cancellationId } });
    expect(all.some((t) => /Customer notified/.test(t.detail ?? ""))).toBe(false);
  });

  it("a manual refund still open: the email says the refund is being arranged, not that the cancellation is complete (issue 15 point 3)", async () => {
    const email = customerEmail();
    // Captured: a manual refund method leaves the refund to a person (an authorization would just be released).
    const order = { ...exampleA(), tenders: exampleA().tenders.map((t) => ({ ...t, captured: t.authorized })) };
    order.customer.email = email;
    const agent = await actorFor();
    const { orderId } = await importForTest(order, agent);
    await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "manual" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    const [mail] = await until("the email in MailDev", async () => (await inboxOf(email)).length && inboxOf(email));
    expect(mail!.subject).toBe(`Your cancellation for order ${order.externalId}: your refund is being arranged`);
    expect(mail!.text).toContain("$194.85 will be refunded to you by our customer service team, who will contact you about it");
    expect(`${mail!.subject}\n${mail!.text}`).not.toMatch(/is complete|on its way|business days/i);
  });

  it("the same event handled again, by a redelivered job and by two handlers at once, sends nothing twice", async () => {
    const email = customerEmail();
    const { cancellationId } = await completedCancellation(email);
    await until("the email to be sent", async () => (await notificationsOf(cancellationId))[0]?.status === "sent");
    const { eventId } = (await notificationsOf(cancellationId))[0]!;
    await db.$transaction((tx) => enqueueCustomerNotification(tx, eventId, cancellationId));
    expect(await Promise.all([notifyCustomer(notifier, eventId), notifyCustomer(notifier, eventId)])).toEqual(["sent", "sent"]);
    await until("the redelivered job to finish", async () => (await notifyJobs()) === 0);
    expect(await inboxOf(email)).toHaveLength(1);
    expect(await notificationsOf(cancellationId)).toMatchObject([{ status: "sent", attempts: 1 }]);
  });

  it("a rejected request is told once even when the event is handled three times at the same moment", async () => {
    const email = customerEmail();
    const order = simpleOrder(60); // 600.00 is above the agent's limit: approval needed
    order.customer.email = email;
    const agent = await actorFor();
    const { orderId } = await importForTest(order, agent);
    const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [60], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    expect(answer.body.status).toBe("pending_approval");
    const manager = await actorFor("store_manager", ["STORE-001"]);
    await decideApproval({ db, actor: manager }, answer.body.cancellationId, "rejected", { note: "Already shipped from the store" });
    const event = await db.outboxEvent.findFirstOrThrow({ where: { orderId, type: "CancellationRejected" } });
    // The worker's job and two more handlers race for the one message.
    await Promise.allSettled([notifyCustomer(notifier, event.id), notifyCustomer(notifier, event.id)]);
    await until("the email to be sent", async () => (await notificationsOf(answer.body.cancellationId))[0]?.status === "sent");
    await until("the job to finish", async () => (await notifyJobs()) === 0);
    const inbox = await inboxOf(email);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.subject).toBe(`Your cancellation request for order ${order.externalId} was declined`);
    expect(inbox[0]!.text).toContain("60 × SKU-1");
    expect(inbox[0]!.text).not.toContain("Already shipped from the store");
  });

  it("a withdrawn request, in the customer's German: one email", async () => {
    const email = customerEmail();
    const order = { ...simpleOrder(60), currency: "EUR" };
    order.customer = { ...order.customer, email, locale: "de-DE" };
    const agent = await actorFor();
    const { orderId } = await importForTest(order, agent);
    const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [60], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    expect(answer.body.status).toBe("pending_approval"); // EUR 600.00 is above the agent's limit
    await withdrawCancellation({ db, actor: agent }, answer.body.cancellationId, {});
    const inbox = await until("the email in MailDev", async () => (await inboxOf(email)).length && inboxOf(email));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.subject).toBe(`Ihre Stornierungsanfrage für Bestellung ${order.externalId} wurde zurückgezogen`);
    expect(inbox[0]!.text).toContain("60 × SKU-1");
  });

  it("the email the agent previews before confirming is the email that goes out; the status page lists it", async () => {
    const email = customerEmail();
    const order = exampleA();
    order.customer.email = email;
    const agent = await actorFor();
    const { orderId } = await importForTest(order, agent);
    const request = { orderLineIds: ["A", "B"], quantities: [1, 1], reason: "CUSTOMER_REQUEST", refundMethod: "original" as const };
    process.env.SUPPORT_EMAIL = "help@shop.example";
    reloadConfig(); // the configuration is read once; this test changes it after start
    const preview = await previewCustomerEmail({ db, actor: agent }, orderId, request);
    expect(preview).toMatchObject({ to: email, subject: `Your cancellation for order ${order.externalId} is complete`, sentWhen: "on_completion" });
    const answer = await submitCancellation({ db, actor: agent }, orderId, request, { idempotencyKey: randomUUID(), waitMs: 0 });
    const inbox = await until("the email in MailDev", async () => (await inboxOf(email)).length && inboxOf(email));
    expect(inbox[0]!.text).toBe(preview.text);
    const messages = await listCustomerMessages({ db, actor: agent }, orderId, answer.body.cancellationId);
    expect(messages).toEqual([expect.objectContaining({ to: email, status: "sent", template: "cancellation_completed", text: preview.text })]);
  });

  it("a cancellation confirmed with notify the customer off sends nothing and says so", async () => {
    const email = customerEmail();
    const { orderId } = await importForTest({ ...exampleA(), customer: { id: "CUST-QUIET", name: "Quiet", email } });
    const agent = await actorFor();
    const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["A"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original", notifyCustomer: false }, { idempotencyKey: randomUUID(), waitMs: 0 });
    const cancellationId = answer.body.cancellationId;
    await until("the message to be recorded", async () => (await notificationsOf(cancellationId))[0]?.status === "skipped");
    expect((await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId } })).notifyCustomer).toBe(false);
    expect(await timelineOf(cancellationId)).toEqual(["skipped: Email not sent: the requester chose not to email the customer"]);
    expect(await inboxOf(email)).toHaveLength(0);
  });

  it("SMTP down, then up: the message waits, is retried with backoff and sent once", async () => {
    await mail.stop();
    const email = customerEmail();
    let cancellationId = "";
    try {
      ({ cancellationId } = await completedCancellation(email));
      await until("a failed attempt", async () => {
        const [n] = await notificationsOf(cancellationId);
        return n?.status === "retrying" && n.attempts >= 2;
      });
      const [waiting] = await notificationsOf(cancellationId);
      expect(waiting!.lastError).toMatch(/ECONNREFUSED/);
      expect(waiting!.nextAttemptAt).not.toBeNull();
      expect(await timelineOf(cancellationId)).toEqual([expect.stringMatching(/^retry_scheduled: Email to a•••@example\.com not sent yet \(.*ECONNREFUSED.*\); trying again$/)]);
    } finally {
      await mail.start();
    }
    await until("the email to be sent after the retry", async () => (await notificationsOf(cancellationId))[0]?.status === "sent");
    expect(await inboxOf(email)).toHaveLength(1);
    const [sent] = await notificationsOf(cancellationId);
    expect(sent!.attempts).toBeGreaterThanOrEqual(3);
    expect((await timelineOf(cancellationId)).at(-1)).toBe("sent: Email sent to a•••@example.com");
  });

  it("an address the SMTP server refuses: recorded as failed with the server's reason, on the timeline, never retried", async () => {
    const order = exampleA();
    const agent = await actorFor();
    const { orderId } = await importForTest(order, agent);
    // An address that got past the channel's checks (an older import, a hand edit) and that the server refuses.
    await db.order.update({ where: { id: orderId }, data: { customerEmail: "ada@@example.com" } });
    const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["B"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    const cancellationId = answer.body.cancellationId;
    await until("the failure to be recorded", async () => (await notificationsOf(cancellationId))[0]?.status === "failed");
    const [failed] = await notificationsOf(cancellationId);
    expect(failed).toMatchObject({ attempts: 1, nextAttemptAt: null, providerMessageId: null });
    expect(failed!.lastError).toMatch(/^501 .*address/i);
    expect(await timelineOf(cancellationId)).toEqual([`failed: Email could not be sent to a•••@example.com: ${failed!.lastError}`]);
    await until("no job left", async () => (await notifyJobs()) === 0);
    expect((await notificationsOf(cancellationId))[0]!.attempts).toBe(1);
  });
});
