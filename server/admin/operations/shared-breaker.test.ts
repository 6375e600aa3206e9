import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getCancellation } from "@/server/cancellations/get-cancellation";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { injectFault } from "@/server/payments/test-support";
import { actorFor, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { until } from "@/test/support/until";
import { killWorkers, spawnWorker } from "@/test/support/worker-process";
import { getProviderHealth } from "./provider-health";

// The breaker is opened by a worker PROCESS; this test process never calls Stripe and reads the
// admin panel's use-case and the cancellation status from its own database client.
const db = getDb();
let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness();
});
afterAll(async () => {
  await killWorkers();
  await h.stop();
});

const startWorker = (env: Record<string, string>) =>
  spawnWorker({
    ...h.env,
    EVENTS_AMQP_URL: "off",
    PAYMENT_PROVIDER_ATTEMPTS: "2",
    PAYMENT_BREAKER_THRESHOLD: "2",
    PROVIDER_UNKNOWN_RETRY_BASE_MS: "200",
    PROVIDER_UNKNOWN_RETRY_MAX_MS: "500",
    ...env,
  });

const stripeCircuit = async () => (await getProviderHealth({ db })).circuits.find((c) => c.provider === "stripe")!;

it("a breaker a worker opens is open for the admin panel and the cancellation waiting on it, and closed for both after recovery", async () => {
  expect((await stripeCircuit()).state).toBe("closed");
  const agent = await actorFor();
  const order = simpleOrder(2);
  const reference = order.tenders[0]!.providerReference;
  const { orderId } = await importForTest(order, agent);
  await injectFault(h.fake, { provider: "stripe", operation: "reversal", reference, fault: "http_500", count: 2 });

  // Nothing may try Stripe again while we look: the open circuit waits ten minutes before a trial.
  const first = startWorker({ PAYMENT_BREAKER_HALF_OPEN_MS: "600000" });
  const { body } = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  const opened = await until("the worker to open Stripe's breaker", async () => {
    const c = await stripeCircuit();
    return c.state === "open" ? c : undefined;
  });
  expect(opened).toMatchObject({ failures: 2, lastFailure: expect.stringContaining("api_error") });
  expect(opened.openedAt).not.toBeNull();

  const waiting = await getCancellation({ db, actor: agent }, orderId, body.cancellationId);
  expect(waiting.status).toBe("processing");
  expect(waiting.waitingFor).toEqual({ providers: ["stripe"], message: "Waiting for Stripe to recover" });
  await first.stop();
  expect((await stripeCircuit()).state).toBe("open"); // the state outlives the process that set it

  // A worker whose breakers wait only briefly finds the circuit ripe, makes the trial call, and it succeeds.
  const second = startWorker({ PAYMENT_BREAKER_HALF_OPEN_MS: "300" });
  const done = await until("the cancellation to complete", async () => {
    const view = await getCancellation({ db, actor: agent }, orderId, body.cancellationId);
    return view.status === "completed" ? view : undefined;
  });
  await second.stop();
  expect(await stripeCircuit()).toMatchObject({ state: "closed", failures: 0, openedAt: null });
  expect(done.waitingFor).toBeNull();
  expect(done.refundDetails.allocation.map((a) => a.status)).toEqual(["succeeded"]);
  expect(h.fake.state.find("stripe", reference)!.operations).toHaveLength(1);
}, 120_000);
