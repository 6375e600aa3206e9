import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { injectFault } from "@/server/payments/test-support";
import { actorFor, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { until } from "@/test/support/until";
import { spawnWorker, type WorkerProcess } from "@/test/support/worker-process";

// Real worker processes on real PostgreSQL: a long saga keeps its one runner
// while that runner lives, and is resumed soon after it is killed.
const STALE_MS = 3_000;
const db = getDb();
let h: SagaHarness;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  h = await startSagaHarness();
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
});
afterAll(() => h.stop());

function startWorker(env: Record<string, string> = {}): WorkerProcess {
  // LOG_LEVEL: the worker's info lines ("saga …: completed") are what this test reads; under Vitest it would log warnings only.
  const worker = spawnWorker({ ...h.env, WORKER_STALE_MS: String(STALE_MS), EVENTS_AMQP_URL: "off", LOG_LEVEL: "info", ...env });
  workers.push(worker);
  return worker;
}

/** The pools (graphile-worker's job-lock ids) that have reported a heartbeat. */
const pools = async () => (await db.workerHeartbeat.findMany()).map((w) => w.workerId);

const sagaJob = async (cancellationId: string) =>
  (await db.$queryRaw<{ locked_by: string | null; attempts: number }[]>`SELECT locked_by, attempts FROM graphile_worker.jobs WHERE key = ${`saga:${cancellationId}`}`)[0];

async function submitSlow(slowMs: number) {
  const agent = await actorFor();
  const order = simpleOrder(2);
  const reference = order.tenders[0]!.providerReference;
  const { orderId } = await importForTest(order, agent);
  await injectFault(h.fake, { provider: "stripe", operation: "reversal", reference, fault: "slow", ms: slowMs, count: 1 });
  const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  return { orderId, cancellationId: answer.body.cancellationId, reference };
}

const completed = (id: string) => async () => {
  const c = await db.cancellation.findUniqueOrThrow({ where: { id }, include: { allocations: true } });
  return c.status === "completed" ? c : undefined;
};

it("a 60-second saga is never unlocked or run a second time while its worker lives, with a second worker watching", async () => {
  const slowProvider = { PAYMENT_PROVIDER_TIMEOUT_MS: "90000", PAYMENT_PROVIDER_ATTEMPTS: "1" };
  const a = startWorker(slowProvider);
  const b = startWorker(slowProvider);
  await Promise.all([a.pid, b.pid]);
  await until("both pools' heartbeats", async () => (await pools()).length >= 2);

  const started = Date.now();
  const { cancellationId, reference } = await submitSlow(60_000);
  const seen = new Set<string>();
  let maxAttempts = 0;
  const done = await until(
    "completion",
    async () => {
      const job = await sagaJob(cancellationId);
      if (job?.locked_by) seen.add(job.locked_by);
      maxAttempts = Math.max(maxAttempts, job?.attempts ?? 0);
      return completed(cancellationId)();
    },
    { timeoutMs: 120_000, everyMs: 100 },
  );
  expect(Date.now() - started).toBeGreaterThanOrEqual(60_000);
  expect(maxAttempts).toBe(1);
  expect(seen.size).toBe(1);
  expect(await pools()).toContain([...seen][0]);
  const runLines = () => [...a.output, ...b.output].filter((l) => l.startsWith(`saga ${cancellationId}:`));
  // The worker logs its run after committing it.
  await until("the run's log line", async () => runLines().length > 0);
  const runs = runLines();
  expect(runs).toEqual([`saga ${cancellationId}: completed`]);
  expect(done.allocations.map((x) => x.status)).toEqual(["succeeded"]);
  expect(h.fake.state.find("stripe", reference)!.operations).toHaveLength(1);
}, 150_000);

it("a SIGKILLed worker's saga is resumed by another worker's stale-worker sweep (not graphile-worker's 4-hour lock expiry), with one provider operation", async () => {
  const a = startWorker({ PAYMENT_PROVIDER_TIMEOUT_MS: "60000", PAYMENT_PROVIDER_ATTEMPTS: "1" });
  const aPid = await a.pid;
  const { cancellationId, reference, orderId } = await submitSlow(30_000);
  // The saga is past the order adjustment and waiting for the (slow) provider.
  const locked = await until("the first run", async () => {
    const job = await sagaJob(cancellationId);
    const adjusted = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, select: { orderAdjustedAt: true } });
    return job?.locked_by && adjusted.orderAdjustedAt ? job : undefined;
  });
  expect(locked.attempts).toBe(1);

  const b = startWorker();
  await b.pid;
  await until("the second pool's heartbeat", async () => (await pools()).length >= 2);
  process.kill(aPid, "SIGKILL");
  const killedAt = Date.now();

  // The provider answers the second runner at once, so the saga completes as soon as it is resumed.
  const done = await until("another worker to complete the saga", completed(cancellationId));
  const resumedAfterMs = done.completedAt!.getTime() - killedAt;
  console.log(`completed by the second worker ${resumedAfterMs} ms after the SIGKILL (WORKER_STALE_MS=${STALE_MS})`);
  // Resumed by the stale-worker sweep, not by graphile-worker's own 4-hour lock expiry: a bound far
  // below that, and far above a loaded machine's seconds, so the test never turns on scheduling.
  expect(resumedAfterMs).toBeLessThan(60_000);
  expect(done.allocations.map((x) => [x.operation, x.status])).toEqual([["reversal", "succeeded"]]);
  expect(h.fake.state.find("stripe", reference)!.operations).toHaveLength(1);
  const tender = await db.tender.findFirstOrThrow({ where: { orderId } }).then(numbered);
  expect(tender).toMatchObject({ reversed: 2000, reversalHeld: 0 });
  await until("the second worker's log line", async () => b.output.some((l) => l.startsWith(`saga ${cancellationId}:`)));
  expect(b.output.filter((l) => l.startsWith(`saga ${cancellationId}:`))).toEqual([`saga ${cancellationId}: completed`]);
  expect(a.output.filter((l) => l.startsWith(`saga ${cancellationId}:`))).toEqual([]);
}, 90_000);
