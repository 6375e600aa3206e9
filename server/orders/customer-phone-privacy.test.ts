import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailDev, type MailDevHandle } from "@/scripts/lib/maildev";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { loadNotificationConfig } from "@/server/config/notifications";
import { getDb } from "@/server/db/client";
import type { EventPublisher } from "@/server/events/amqp-publisher";
import { relayOutbox } from "@/server/events/relay-outbox";
import type { AdjustmentPublisher } from "@/server/inventory/warehouse-queues";
import { createNotifier, type Notifier } from "@/server/notifications/notifier";
import { createLogger, replaceLogger } from "@/server/observability/logger";
import { startWorker } from "@/server/worker/worker";
import { actorFor, exampleA, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";

/*
 * The customer's phone stays on the order (SPEC §8: events carry ids; §10: the customer's email
 * says what was cancelled and refunded). A whole cancellation of an order with a phone — submit,
 * saga, the customer's email over real SMTP (MailDev), the inventory adjustment, the outbox relayed
 * — and then neither a stored row outside `orders`, nor a published message, nor the email, nor a
 * log line carries the number or its digits.
 */

const db = getDb();
let h: SagaHarness;
let mail: MailDevHandle;
let notifier: Notifier;
let worker: Awaited<ReturnType<typeof startWorker>>;
let restoreLogger: () => void;
const logged: string[] = [];
const adjustments: Record<string, unknown>[] = [];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(chunk.toString());
      done();
    },
  });
  restoreLogger = replaceLogger(createLogger({ level: "debug", destination }));
  h = await startSagaHarness();
  mail = await startMailDev({ smtpPort: 0, webPort: 0 });
  const config = loadNotificationConfig({ SMTP_URL: mail.smtpUrl, MAIL_FROM: "Shop <orders@shop.example>", SUPPORT_EMAIL: "help@shop.example" });
  const log = (line: string) => logged.push(line);
  notifier = createNotifier(db, config, log);
  const adjustmentPublisher: AdjustmentPublisher = { publish: async (m) => void adjustments.push(m), close: async () => {} };
  worker = await startWorker({ db, databaseUrl: process.env.DATABASE_URL!, payments: h.payments, notifier, adjustments: adjustmentPublisher, concurrency: 4, log });
});
afterAll(async () => {
  await worker?.stop();
  notifier?.mailer?.close();
  await mail?.close();
  await h?.stop();
  restoreLogger?.();
});

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every base table of the app and of graphile-worker, with the number of its rows whose text contains one of `needles`. */
async function rowsContaining(needles: string[]): Promise<Record<string, number>> {
  const tables = await db.$queryRaw<{ schema: string; name: string }[]>`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', 'graphile_worker')`;
  const found: Record<string, number> = {};
  for (const t of tables) {
    const where = needles.map((_, i) => `x::text LIKE $${i + 1}`).join(" OR ");
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${t.schema}"."${t.name}" x WHERE ${where}`, ...needles.map((n) => `%${n}%`));
    if (row!.n > 0) found[`${t.schema}.${t.name}`] = row!.n;
  }
  return found;
}

describe("the customer's phone (SPEC §8, §10)", () => {
  it("reaches no event, message, notification row, email or log line of a whole cancellation: only the order keeps it", async () => {
    const digits = String(1_000_000 + Math.floor(Math.random() * 9_000_000));
    // Spaces only, no + or brackets: a format the log's phone pattern does not mask, so nothing hides it.
    const phone = `555 ${digits.slice(0, 3)} ${digits.slice(3)}`;
    const needles = [phone, `555${digits}`, digits];
    const email = `ada-${randomUUID().slice(0, 8)}@example.com`;
    const order = exampleA();
    const agent = await actorFor();
    const { orderId } = await importForTest({ ...order, customer: { ...order.customer, email, phone } }, agent);
    const { body } = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    const cancellationId = body.cancellationId;
    await until("the cancellation to complete", async () => (await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId } })).status === "completed");
    await until("the customer's email to be sent", async () => (await db.customerNotification.findMany({ where: { cancellationId, status: "sent" } })).length > 0);
    await until("the inventory adjustment", async () => adjustments.some((m) => JSON.stringify(m).includes(cancellationId)));

    const published: unknown[] = [];
    const publisher: EventPublisher = { publish: async (topic, key, event, headers) => void published.push({ topic, key, event, headers }), close: async () => {} };
    while ((await relayOutbox(db, publisher)) > 0);
    const ours = published.filter((p) => JSON.stringify(p).includes(cancellationId));
    expect(ours.length).toBeGreaterThanOrEqual(5);

    // The search finds it where it belongs, so a miss elsewhere is a real one.
    expect(await rowsContaining(needles)).toEqual({ "public.orders": 1 });
    const inbox = (await mail.emails()).filter((e) => e.to.some((t) => t.address === email));
    expect(inbox).toHaveLength(1);
    const outside = { published: JSON.stringify(ours), adjustments: JSON.stringify(adjustments), email: JSON.stringify(inbox), log: logged.join("\n") };
    for (const [where, text] of Object.entries(outside)) for (const needle of needles) expect(text, `${where}: ${needle}`).not.toContain(needle);
    expect(outside.log).toContain(cancellationId);
  });
});
