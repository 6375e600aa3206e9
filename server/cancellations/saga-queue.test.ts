import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { getDb } from "@/server/db/client";
import { sagaQueue as sagasQueue } from "@/server/saga/wire-saga";
import { wireSaga } from "@/server/saga/wire-saga";
import { apiClient, callRoute } from "@/test/rest";
import { importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { sagaQueue, setSagaQueue } from "./saga-queue";

const db = getDb();
let harness: SagaHarness;
beforeAll(async () => {
  harness = await startSagaHarness();
});
afterAll(async () => {
  await harness.stop();
});
afterEach(() => wireSaga());

function submit(key: string, orderId: string) {
  return callRoute<{ cancellationId: string; status: string; error?: { code: string } }>(submitRoute, {
    key,
    params: { orderId },
    body: { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
    path: `/api/v1/orders/${orderId}/cancel-partial?wait=0`,
    headers: { "idempotency-key": randomUUID() },
  });
}

describe("submit reaches the saga through the cancellation module's port", () => {
  it("start-up plugs in the saga's own queue", () => {
    expect(sagaQueue()).toBe(sagasQueue);
  });

  it("enqueues through whatever queue is plugged in, in the submit's transaction", async () => {
    const enqueued: string[] = [];
    setSagaQueue({ enqueue: async (_tx, cancellationId, orderId) => void enqueued.push(`${cancellationId} ${orderId}`) });
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(2));
    const answer = await submit(key, orderId);
    expect(answer.status).toBe(201);
    expect(enqueued).toEqual([`${answer.body.cancellationId} ${orderId}`]);
    expect(await db.$queryRaw`SELECT 1 FROM graphile_worker.jobs WHERE key = ${`saga:${answer.body.cancellationId}`}`).toEqual([]);
  });

  it("without a queue plugged in, a submit fails and stores nothing", async () => {
    setSagaQueue(undefined);
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(2));
    const answer = await submit(key, orderId);
    expect(answer.status).toBe(500);
    expect(answer.body.error?.code).toBe("INTERNAL");
    expect(await db.cancellation.count({ where: { orderId } })).toBe(0);
  });
});
