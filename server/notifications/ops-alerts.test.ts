import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Job } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailDev, type MailDevHandle } from "@/scripts/lib/maildev";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { deadLetter } from "@/server/saga/dead-letters";
import { TASKS } from "@/server/jobs/queue";
import { startWorker } from "@/server/worker/worker";
import { actorFor, exampleA, importForTest, type SagaHarness, startSagaHarness } from "@/test/saga-harness";
import { loadNotificationConfig } from "@/server/config/notifications";
import { createNotifier, type Notifier } from "./notifier";
import { raiseIncident, sweepOpenCircuits, sweepOpsIncidents } from "./ops-alerts";

// Operations alerts (SPEC §10) through the real worker to the real MailDev and a
// webhook receiver on loopback. This file's worker fails every in-saga inventory release.
const db = getDb();
const SECRET = "ops-webhook-secret-for-tests";
const OPS = "ops@shop.example";
let h: SagaHarness;
let mail: MailDevHandle;
let notifier: Notifier;
let worker: Awaited<ReturnType<typeof startWorker>>;
let receiver: http.Server;
const hooks: { body: Record<string, unknown>; signatureValid: boolean }[] = [];
let refuseNextHooks = 0;

beforeAll(async () => {
  h = await startSagaHarness();
  mail = await startMailDev({ smtpPort: 0, webPort: 0 });
  receiver = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (refuseNextHooks > 0) {
        refuseNextHooks--;
        res.writeHead(503).end();
        return;
      }
      const [t, v1] = String(req.headers["x-ops-alert-signature"]).split(",").map((p) => p.split("=")[1]);
      const expected = createHmac("sha256", SECRET).update(`${t}.${raw}`).digest("hex");
      hooks.push({ body: JSON.parse(raw) as Record<string, unknown>, signatureValid: v1 === expected });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const config = loadNotificationConfig({
    SMTP_URL: mail.smtpUrl,
    OPS_ALERT_EMAIL: OPS,
    OPS_ALERT_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`,
    OPS_ALERT_WEBHOOK_SECRET: SECRET,
  });
  notifier = createNotifier(db, config, () => {});
  worker = await startWorker({ db, databaseUrl: process.env.DATABASE_URL!, payments: h.payments, notifier, faults: { failStep: { inventory_release: "always" } }, concurrency: 4, log: () => {} });
});
afterAll(async () => {
  await worker?.stop();
  notifier?.mailer?.close();
  await new Promise((r) => receiver?.close(r));
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

const opsInbox = async () => (await mail.emails()).filter((e) => e.to.some((t) => t.address === OPS));
const alerted = (id: string) => until(`incident ${id} to be alerted`, async () => (await db.opsIncident.findUniqueOrThrow({ where: { id } })).alertedAt !== null);
const alertJobs = async () => Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = ${TASKS.opsAlert}`)[0]!.n);
const fakeJob = (task: string) => ({ task_identifier: task, payload: { cancellationId: randomUUID() }, key: `${task}:${randomUUID()}`, attempts: 3, max_attempts: 3 }) as unknown as Job;

describe("operations alerts", () => {
  it("inventory releases failing after their retries, twice: one incident, one email and one signed webhook", async () => {
    const agent = await actorFor();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { orderId } = await importForTest(exampleA(), agent);
      const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["A"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
      ids.push(answer.body.cancellationId);
    }
    // SPEC §6.4: the cancellations still complete.
    await until("both cancellations to complete", async () => (await db.cancellation.count({ where: { id: { in: ids }, status: "completed" } })) === 2);
    const [incident] = await until("the incident", async () => {
      const found = await db.opsIncident.findMany({ where: { kind: "inventory_release_failed" } });
      return found.length === 1 && found[0]!.occurrences === 2 && found;
    });
    await alerted(incident!.id);
    await until("no alert job left", async () => (await alertJobs()) === 0);
    const inbox = (await opsInbox()).filter((e) => e.subject.includes("Inventory release failed"));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.subject).toBe("[ops alert] Inventory release failed after its retries; retrying in the background");
    expect(inbox[0]!.text).toContain("injected failure in inventory_release");
    const received = hooks.filter((x) => x.body.incidentId === incident!.id);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ signatureValid: true, body: { kind: "inventory_release_failed", subject: "inventory", summary: incident!.summary } });
    expect(await db.opsIncident.findUniqueOrThrow({ where: { id: incident!.id } })).toMatchObject({ emailStatus: "sent", webhookStatus: "sent", attempts: 1, lastError: null });
  });

  it("an incident quiet for an hour is over: the next occurrence opens a new one and alerts again", async () => {
    const old = await db.opsIncident.findFirstOrThrow({ where: { kind: "inventory_release_failed", resolvedAt: null } });
    await db.opsIncident.update({ where: { id: old.id }, data: { lastSeenAt: new Date(Date.now() - 61 * 60_000) } });
    const again = await db.$transaction((tx) => raiseIncident(tx, { kind: "inventory_release_failed", subject: "inventory", summary: "Inventory release failed after its retries; retrying in the background", details: {} }));
    expect(again.opened).toBe(true);
    expect((await db.opsIncident.findUniqueOrThrow({ where: { id: old.id } })).resolvedAt).not.toBeNull();
    await alerted(again.incidentId);
    expect((await opsInbox()).filter((e) => e.subject.includes("Inventory release failed"))).toHaveLength(2);
  });

  it("a storm of dead letters of one step is one alert", async () => {
    for (let i = 0; i < 5; i++) await deadLetter(db, fakeJob(TASKS.inventoryRetry), new Error(`warehouse down ${i}`));
    const incidents = await db.opsIncident.findMany({ where: { kind: "dead_letter", subject: TASKS.inventoryRetry } });
    expect(incidents).toEqual([expect.objectContaining({ occurrences: 5 })]);
    await alerted(incidents[0]!.id);
    await until("no alert job left", async () => (await alertJobs()) === 0);
    const inbox = (await opsInbox()).filter((e) => e.subject.includes(`A ${TASKS.inventoryRetry} job gave up`));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.text).toContain("warehouse down 0");
  });

  it("manual-refund tasks open for more than a day: one alert, however often the sweep runs", async () => {
    const c = await db.cancellation.findFirstOrThrow({ where: { status: "completed" } });
    const task = await db.manualRefundTask.create({ data: { cancellationId: c.id, amount: 2400, currency: "USD", reason: "test", origin: "declined", createdAt: new Date(Date.now() - 25 * 60 * 60_000) } });
    await db.manualRefundTask.create({ data: { cancellationId: c.id, amount: 100, currency: "USD", reason: "fresh", origin: "declined", createdAt: new Date() } });
    expect(await sweepOpsIncidents(db)).toBe(1);
    expect(await sweepOpsIncidents(db)).toBe(1);
    const incidents = await db.opsIncident.findMany({ where: { kind: "manual_refund_overdue" } });
    expect(incidents).toEqual([expect.objectContaining({ occurrences: 2, summary: "1 manual-refund task(s) open for more than a day" })]);
    await alerted(incidents[0]!.id);
    const inbox = (await opsInbox()).filter((e) => e.subject.includes("manual-refund task"));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.text).toContain(task.id);
  });

  it("a circuit breaker open for more than a minute: one alert per provider, however often the sweep finds it still open", async () => {
    // PayPal's breaker (no saga of this file calls PayPal), opened 30 s ago: not yet an incident.
    const openedAt = (msAgo: number) => new Date(Date.now() - msAgo);
    await db.providerCircuit.upsert({
      where: { provider: "paypal" },
      create: { provider: "paypal", state: "open", failures: 5, openedAt: openedAt(30_000), downSince: openedAt(30_000), lastFailure: "HTTP 503 from PayPal" },
      update: { state: "open", failures: 5, openedAt: openedAt(30_000), downSince: openedAt(30_000), lastFailure: "HTTP 503 from PayPal" },
    });
    expect(await sweepOpenCircuits(db)).toBe(0);
    expect(await db.opsIncident.count({ where: { kind: "circuit_open" } })).toBe(0);

    // Backdated rather than waited for: open for 2 minutes, then found again by later sweeps, half-open too.
    await db.providerCircuit.update({ where: { provider: "paypal" }, data: { openedAt: openedAt(120_000), downSince: openedAt(120_000) } });
    expect(await sweepOpenCircuits(db)).toBe(1);
    expect(await sweepOpenCircuits(db)).toBe(1);
    await db.providerCircuit.update({ where: { provider: "paypal" }, data: { state: "half_open", probeStartedAt: new Date() } });
    expect(await sweepOpenCircuits(db)).toBe(1);
    const incidents = await db.opsIncident.findMany({ where: { kind: "circuit_open" } });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ subject: "paypal", summary: "The paypal circuit breaker has been open for more than a minute: payments to paypal wait" });
    expect(incidents[0]!.occurrences).toBeGreaterThanOrEqual(3);
    expect(incidents[0]!.details).toMatchObject({ provider: "paypal", failures: 5, lastFailure: "HTTP 503 from PayPal" });
    await alerted(incidents[0]!.id);
    await until("no alert job left", async () => (await alertJobs()) === 0);
    const inbox = (await opsInbox()).filter((e) => e.subject.includes("circuit breaker"));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.subject).toBe("[ops alert] The paypal circuit breaker has been open for more than a minute: payments to paypal wait");
    expect(hooks.filter((x) => x.body.incidentId === incidents[0]!.id)).toEqual([expect.objectContaining({ signatureValid: true, body: expect.objectContaining({ kind: "circuit_open", subject: "paypal" }) })]);

    // Closed again: nothing more to find.
    await db.providerCircuit.update({ where: { provider: "paypal" }, data: { state: "closed", failures: 0, openedAt: null, downSince: null, probeStartedAt: null } });
    expect(await sweepOpenCircuits(db)).toBe(0);
    expect(await db.opsIncident.count({ where: { kind: "circuit_open" } })).toBe(1);
  });

  it("a webhook answering 503 is retried; the email that already left is not sent again", async () => {
    refuseNextHooks = 1;
    const { incidentId } = await db.$transaction((tx) => raiseIncident(tx, { kind: "dead_letter", subject: "webhook-retry-test", summary: "A webhook-retry-test job gave up", details: {} }));
    await until("the failed first attempt", async () => (await db.opsIncident.findUniqueOrThrow({ where: { id: incidentId } })).attempts >= 1);
    expect(await db.opsIncident.findUniqueOrThrow({ where: { id: incidentId } })).toMatchObject({ emailStatus: "sent", webhookStatus: null, alertedAt: null, lastError: "webhook: HTTP 503" });
    await alerted(incidentId);
    expect(hooks.filter((x) => x.body.incidentId === incidentId)).toHaveLength(1);
    expect((await opsInbox()).filter((e) => e.subject.includes("webhook-retry-test"))).toHaveLength(1);
    expect(await db.opsIncident.findUniqueOrThrow({ where: { id: incidentId } })).toMatchObject({ emailStatus: "sent", webhookStatus: "sent", attempts: 2, lastError: null });
  });
});
