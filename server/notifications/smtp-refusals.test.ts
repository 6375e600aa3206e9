import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { runSaga } from "@/server/saga/run-saga";
import { actorFor, exampleA, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";
import { loadNotificationConfig } from "@/server/config/notifications";
import { createNotifier, type Notifier } from "./notifier";
import { notifyCustomer } from "./notify-customer";

// A real SMTP server on loopback that answers like a provider's: 550 for an unknown
// mailbox, 451 (greylisting) the first time it sees a sender/recipient pair.
const db = getDb();
let h: SagaHarness;
let server: SMTPServer;
let notifier: Notifier;
const greylisted = new Set<string>();
const delivered: string[] = [];

beforeAll(async () => {
  h = await startSagaHarness();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address;
      if (to.startsWith("nobody-")) return callback(Object.assign(new Error(`5.1.1 <${to}>: mailbox unavailable`), { responseCode: 550 }));
      if (to.startsWith("grey-") && !greylisted.has(to)) {
        greylisted.add(to);
        return callback(Object.assign(new Error("4.7.1 greylisted, try again later"), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        delivered.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.server.address() as AddressInfo).port;
  notifier = createNotifier(db, loadNotificationConfig({ SMTP_URL: `smtp://127.0.0.1:${port}`, NOTIFY_RETRY_BASE_MS: "10" }), () => {});
});
afterAll(async () => {
  notifier?.mailer?.close();
  await new Promise<void>((r) => server.close(() => r()));
  await h?.stop();
});

async function completedEvent(email: string) {
  const order = exampleA();
  order.customer.email = email;
  const agent = await actorFor();
  const { orderId } = await importForTest(order, agent);
  const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["B"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  expect(await runSaga({ db, payments: h.payments }, answer.body.cancellationId)).toBe("completed");
  const event = await db.outboxEvent.findFirstOrThrow({ where: { orderId, type: "CancellationCompleted" } });
  return { eventId: event.id, cancellationId: answer.body.cancellationId };
}

it("550 mailbox unavailable is permanent: recorded with the server's answer, on the timeline, no retry queued", async () => {
  const email = `nobody-${randomUUID().slice(0, 8)}@example.com`;
  const { eventId, cancellationId } = await completedEvent(email);
  expect(await notifyCustomer(notifier, eventId)).toBe("failed");
  const [m] = await db.customerNotification.findMany({ where: { eventId } });
  expect(m).toMatchObject({ status: "failed", attempts: 1, nextAttemptAt: null });
  expect(m!.lastError).toMatch(/^550 5\.1\.1 <nobody-.*>: mailbox unavailable$/);
  const timeline = await db.cancellationTimelineEntry.findMany({ where: { cancellationId, step: "notification" } });
  expect(timeline.map((t) => t.detail)).toEqual([`Email could not be sent to n•••@example.com: ${m!.lastError}`]);
  // Handling the event again changes nothing and sends nothing.
  expect(await notifyCustomer(notifier, eventId)).toBe("failed");
  expect(delivered).not.toContain(email);
});

it("451 greylisting is transient: the next attempt is queued with a later run_at, and it is delivered once", async () => {
  const email = `grey-${randomUUID().slice(0, 8)}@example.com`;
  const { eventId } = await completedEvent(email);
  const before = new Date();
  expect(await notifyCustomer(notifier, eventId)).toBe("retrying");
  const [waiting] = await db.customerNotification.findMany({ where: { eventId } });
  expect(waiting).toMatchObject({ status: "retrying", attempts: 1, lastError: "451 4.7.1 greylisted, try again later" });
  const jobs = await db.$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${`notify:${eventId}`}`;
  expect(jobs).toHaveLength(1);
  expect(jobs[0]!.run_at.getTime()).toBeGreaterThanOrEqual(before.getTime());
  // The queued job runs: this time the server takes it.
  expect(await notifyCustomer(notifier, eventId)).toBe("sent");
  expect(await notifyCustomer(notifier, eventId)).toBe("sent");
  expect(delivered.filter((d) => d === email)).toHaveLength(1);
  expect(await db.customerNotification.findFirstOrThrow({ where: { eventId } })).toMatchObject({ status: "sent", attempts: 2 });
});
