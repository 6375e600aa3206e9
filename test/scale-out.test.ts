import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import amqp from "amqplib";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { getBusinessRulesForAdmin } from "@/server/admin/business-rules/get-business-rules-admin";
import { saveBusinessRules } from "@/server/admin/business-rules/save-business-rules";
import { revokeApiKey } from "@/server/admin/api-keys/revoke-api-key";
import { hashApiKey } from "@/server/auth/api-keys";
import { getDb } from "@/server/db/client";
import { DEFAULT_AMQP_URL } from "@/server/events/amqp-publisher";
import { EVENT_TOPICS, type EventEnvelope } from "@/server/events/outbox";
import { spawnScript } from "@/scripts/lib/worker-spawn";
import { apiClient } from "@/test/rest";
import { actorFor, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";

/*
 * SPEC §9 / issue 14, scale-out: two app instances (test/support/app-instance.cts, each a process
 * with its own pool, caches and LISTEN connection) and two saga workers (scripts/worker.ts, each
 * with its outbox relay and audit sealer) on one PostgreSQL. The same workload completes with no
 * saga run twice, no event relayed out of order per order, and caches invalidated across
 * instances. The throughput of one vs two instances is `npm run bench -- --url A,B`'s job.
 */
const db = getDb();
const ORDERS = 6;
const children: ChildProcess[] = [];
const workerOutput: string[] = [];
let h: SagaHarness;
let instances: string[] = [];
let key: string;
let consumer: { close(): Promise<void>; received: EventEnvelope[] };

function spawnProcess(script: string, env: Record<string, string>, onLine: (line: string) => void) {
  // LOG_LEVEL: the workers' info lines ("saga …: completed", in pino's JSON) are what this test counts; under Vitest they would log warnings only.
  // node with tsx's loader: the afterAll's SIGTERM reaches the worker and the app themselves.
  const child = spawnScript(script, { ...process.env, ...h.env, LOG_LEVEL: "info", ...env, DATABASE_URL: process.env.DATABASE_URL! }, ["ignore", "pipe", "pipe"]);
  children.push(child);
  let buffer = "";
  const read = (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    lines.forEach(onLine);
  };
  child.stdout!.on("data", read);
  child.stderr!.on("data", read);
  return child;
}

async function startInstance(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnProcess("test/support/app-instance.cts", {}, (line) => {
      const port = line.match(/^listening (\d+)/)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
      else console.error(`app instance: ${line}`);
    });
    child.once("exit", (code) => reject(new Error(`app instance exited ${code}`)));
  });
}

async function consume(): Promise<typeof consumer> {
  const connection = await amqp.connect(process.env.EVENTS_AMQP_URL ?? DEFAULT_AMQP_URL);
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
  for (const topic of new Set(Object.values(EVENT_TOPICS))) {
    await channel.assertExchange(topic, "topic", { durable: true });
    await channel.bindQueue(queue, topic, "#");
  }
  const received: EventEnvelope[] = [];
  await channel.consume(queue, (m) => m && received.push(JSON.parse(m.content.toString()) as EventEnvelope), { noAck: true });
  return { received, close: () => connection.close() };
}

async function call<T>(base: string, path: string, init: RequestInit & { apiKey?: string } = {}) {
  const response = await fetch(new URL(path, base), {
    ...init,
    headers: { authorization: `Bearer ${init.apiKey ?? key}`, "content-type": "application/json", ...(init.headers as Record<string, string>) },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

beforeAll(async () => {
  h = await startSagaHarness();
  consumer = await consume();
  ({ key } = await apiClient({ stores: [] }));
  instances = await Promise.all([startInstance(), startInstance()]);
  for (let i = 0; i < 2; i++) spawnProcess("scripts/worker.ts", { WORKER_CONCURRENCY: "4", PAYMENT_PROVIDER_TIMEOUT_MS: "15000", EVENTS_AMQP_URL: process.env.EVENTS_AMQP_URL ?? DEFAULT_AMQP_URL }, (line) => workerOutput.push(`${i} ${line}`));
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await consumer?.close();
  await h?.stop();
});

const request = { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" };

it("two instances and two workers: every saga runs once, events of each order arrive in order, caches are invalidated across instances", async () => {
  // The store exists first: two first imports of a new store race on its upsert (reported, not this test's subject).
  await db.store.upsert({ where: { id: "STORE-001" }, update: {}, create: { id: "STORE-001", name: "Store 1" } });
  // Each order: imported through one instance, then two cancellations, each through the other.
  const cancellations: { orderId: string; cancellationId: string }[] = [];
  await Promise.all(
    Array.from({ length: ORDERS }, async (_, i) => {
      const [a, b] = i % 2 ? [instances[0]!, instances[1]!] : [instances[1]!, instances[0]!];
      const imported = await call<{ orderId: string }>(a, "/api/v1/orders", { method: "POST", body: JSON.stringify(simpleOrder(5)) });
      if (imported.status !== 201) throw new Error(`import answered ${imported.status}: ${JSON.stringify(imported.body)}`);
      for (const base of [b, a]) {
        const submitted = await call<{ cancellationId: string; status: string }>(base, `/api/v1/orders/${imported.body.orderId}/cancel-partial?wait=10000`, {
          method: "POST",
          headers: { "idempotency-key": randomUUID() },
          body: JSON.stringify(request),
        });
        if (submitted.status !== 201) throw new Error(`submit answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
        cancellations.push({ orderId: imported.body.orderId, cancellationId: submitted.body.cancellationId });
        // The second cancellation of an order goes after the first has completed: its saga then
        // sees the tender as the first left it, whichever worker ran that one.
        await vi
          .waitFor(async () => expect((await db.cancellation.findUniqueOrThrow({ where: { id: submitted.body.cancellationId } })).status).toBe("completed"), { timeout: 90_000, interval: 50 })
          .catch((error: unknown) => {
            console.error(`cancellation ${submitted.body.cancellationId} did not complete; the workers said:\n${workerOutput.slice(-80).join("\n")}`);
            throw error;
          });
      }
    }),
  );
  const ids = cancellations.map((c) => c.cancellationId);
  const orderIds = [...new Set(cancellations.map((c) => c.orderId))];

  // Every unit accounted for: 2 + 2 of 5 cancelled on every order, nothing over-cancelled or still held.
  const lines = await db.orderLine.findMany({ where: { orderId: { in: orderIds } } });
  expect(lines.map((l) => [Number(l.cancelled), Number(l.pendingCancel)])).toEqual(orderIds.map(() => [4, 0]));

  // No saga ran twice: one completion per cancellation, on the timeline and in the workers' logs.
  const completions = await db.cancellationTimelineEntry.groupBy({ by: ["cancellationId"], where: { cancellationId: { in: ids }, step: "completion" }, _count: true });
  expect(completions.map((c) => c._count)).toEqual(ids.map(() => 1));
  // A worker's log line may arrive a moment after the row it wrote: wait for the lines, then count them.
  const completedRuns = () => ids.map((id) => workerOutput.filter((l) => l.includes(`saga ${id}: completed`)).length);
  await vi.waitFor(() => expect(completedRuns().every((n) => n >= 1)).toBe(true), { timeout: 10_000, interval: 100 }).catch(() => {});
  expect(completedRuns()).toEqual(ids.map(() => 1));
  const workersUsed = new Set(workerOutput.filter((l) => / saga [0-9a-f-]+: completed/.test(l)).map((l) => l[0]));
  console.log(`sagas completed by worker: ${[...workersUsed].map((w) => `${w}: ${workerOutput.filter((l) => l.startsWith(`${w} `) && / saga [0-9a-f-]+: completed/.test(l)).length}`).join(", ")}`);

  // Every event of these orders relayed (by either worker's relay), each order's in outbox order.
  const outbox = await db.outboxEvent.findMany({ where: { orderId: { in: orderIds } }, select: { id: true, seq: true, orderId: true } });
  await vi.waitFor(
    () => {
      const seen = new Set(consumer.received.map((e) => e.eventId));
      expect(outbox.filter((o) => !seen.has(o.id))).toEqual([]);
    },
    { timeout: 30_000, interval: 100 },
  );
  const seqOf = new Map(outbox.map((o) => [o.id, o.seq]));
  const firstSeen = new Set<string>();
  const perOrder = new Map<string, bigint[]>();
  for (const e of consumer.received) {
    if (!seqOf.has(e.eventId) || firstSeen.has(e.eventId)) continue;
    firstSeen.add(e.eventId);
    perOrder.set(e.orderId, [...(perOrder.get(e.orderId) ?? []), seqOf.get(e.eventId)!]);
  }
  for (const [orderId, seqs] of perOrder) expect({ orderId, seqs }).toEqual({ orderId, seqs: [...seqs].sort((x, y) => (x < y ? -1 : 1)) });
  expect(perOrder.size).toBe(orderIds.length);

  // Caches: both instances have served previews (rules cached) and this key (key cached).
  const probe = await call<{ orderId: string }>(instances[0]!, "/api/v1/orders", { method: "POST", body: JSON.stringify(simpleOrder(10)) });
  const preview = (base: string) => call<{ approvalRequired: boolean; approvalReasons: string[] }>(base, `/api/v1/orders/${probe.body.orderId}/cancel-partial/preview`, { method: "POST", body: JSON.stringify({ ...request, quantities: [10] }) });
  for (const base of instances) expect((await preview(base)).body.approvalRequired).toBe(false);
  const admin = await actorFor("system_admin");
  const rules = await getBusinessRulesForAdmin({ db });
  await saveBusinessRules({ db, actor: admin }, { baseVersion: rules.version, rules: { ...rules.rules, agentLimits: { ...rules.rules.agentLimits, USD: "50.00" } } });
  // This process saved; the very next preview in each instance obeys the new limit.
  for (const base of instances) expect((await preview(base)).body).toMatchObject({ approvalRequired: true, approvalReasons: ["limit"] });

  const apiKey = await db.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(key) } });
  await revokeApiKey({ db, actor: admin }, { apiKeyId: apiKey.id });
  for (const base of instances) {
    await vi.waitFor(async () => expect((await call(base, `/api/v1/orders/${probe.body.orderId}`)).status).toBe(401), { timeout: 15_000, interval: 20 });
  }
}, 240_000);
