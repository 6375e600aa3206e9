import { randomUUID } from "node:crypto";
import type { JobHelpers } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import type { PaymentProviders } from "@/server/payments/registry";
import { actorFor, importForTest, simpleOrder } from "@/test/saga-harness";
import { deadLetter } from "./dead-letters";
import { TASKS } from "@/server/jobs/queue";
import { taskList } from "@/server/worker/worker";

const db = getDb();
// The tasks tested here never reach a payment provider.
const tasks = taskList({ db, databaseUrl: process.env.DATABASE_URL!, payments: {} as PaymentProviders, log: () => {} });
const run = (task: string, payload: unknown, job: { attempts: number; max_attempts: number; key?: string }) =>
  tasks[task]!(payload, { job: { task_identifier: task, payload, key: null, ...job } } as unknown as JobHelpers);

async function rejected() {
  const agent = await actorFor("customer_service_agent");
  const { orderId } = await importForTest({ ...simpleOrder(100), storeId: "STORE-DL" });
  const { body } = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [60], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  await decideApproval({ db, actor: await actorFor("system_admin") }, body.cancellationId, "rejected", { note: "test" });
  return body.cancellationId;
}

describe("jobs are idempotent and dead-lettered", () => {
  it("notify_customer records its message once, however often it runs", async () => {
    const cancellationId = await rejected();
    const event = await db.outboxEvent.findFirstOrThrow({ where: { type: "CancellationRejected", payload: { path: ["cancellationId"], equals: cancellationId } } });
    // No SMTP_URL here: the message is recorded as skipped, once.
    await run(TASKS.notify, { eventId: event.id, cancellationId }, { attempts: 1, max_attempts: 10 });
    await run(TASKS.notify, { eventId: event.id, cancellationId }, { attempts: 2, max_attempts: 10 });
    expect(await db.customerNotification.findMany({ where: { cancellationId } })).toEqual([expect.objectContaining({ eventId: event.id, status: "skipped" })]);
    expect(await db.cancellationTimelineEntry.count({ where: { cancellationId, step: "notification" } })).toBe(1);
  });

  it("notify_customer's last failed attempt becomes a dead letter with its job key and limit; earlier ones do not", async () => {
    const cancellationId = randomUUID();
    const payload = { eventId: randomUUID(), cancellationId };
    await expect(run(TASKS.notify, payload, { attempts: 1, max_attempts: 3, key: `notify:${cancellationId}` })).rejects.toThrow(/does not exist/);
    expect(await db.deadLetter.count({ where: { cancellationId } })).toBe(0);
    await expect(run(TASKS.notify, payload, { attempts: 3, max_attempts: 3, key: `notify:${cancellationId}` })).rejects.toThrow(/does not exist/);
    expect(await db.deadLetter.findMany({ where: { cancellationId } })).toEqual([
      expect.objectContaining({ step: TASKS.notify, attempts: 3, jobKey: `notify:${cancellationId}`, maxAttempts: 3, payload, resolvedAt: null }),
    ]);
  });

  it("every task of the worker is wrapped: the final failure of each leaves a dead letter", async () => {
    // Every task first reads cancellations, order lines, allocations, tasks, incidents, events or
    // circuits, sweeps rate buckets with raw SQL, or publishes to the broker; here those fail,
    // while the dead letter is written through the same (working) transaction API.
    const failing = new Proxy(db, {
      get(target, prop, receiver) {
        if (["cancellation", "cancellationAllocation", "manualRefundTask", "opsIncident", "orderLine", "outboxEvent", "providerCircuit", "$executeRawUnsafe"].includes(String(prop))) throw new Error("database unavailable");
        const value = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const broker = { publish: () => Promise.reject(new Error("broker unavailable")), close: () => Promise.resolve() };
    const wrapped = taskList({ db: failing, databaseUrl: "unused", payments: {} as PaymentProviders, adjustments: broker, log: () => {} });
    const names = Object.keys(wrapped);
    expect(names.sort()).toEqual([TASKS.saga, TASKS.inventoryRetry, TASKS.notify, TASKS.timeOutPayments, TASKS.expireApprovals, TASKS.opsAlert, TASKS.opsSweep, TASKS.notifyStaff, TASKS.circuitSweep, TASKS.rateLimitSweep, TASKS.warehouseUnreserve, TASKS.warehouseTimeouts, TASKS.warehouseAdjustment, TASKS.warehouseReconcile].sort());
    for (const task of names) {
      const key = `${task}:${randomUUID()}`;
      const payload = { cancellationId: randomUUID(), kind: "completed" };
      const job = { task_identifier: task, payload, key, attempts: 2, max_attempts: 2 };
      await expect(wrapped[task]!(payload, { job } as unknown as JobHelpers), task).rejects.toThrow();
      expect(await db.deadLetter.count({ where: { jobKey: key, step: task } }), task).toBe(1);
    }
  });

  it("a job with a key keeps one open dead letter: a scheduled job that keeps failing updates it", async () => {
    const key = `expire_approvals_${randomUUID()}`;
    const job = (attempts: number) => ({ task_identifier: TASKS.expireApprovals, payload: {}, key, attempts, max_attempts: 1 }) as never;
    await deadLetter(db, job(1), new Error("first"));
    await deadLetter(db, job(1), new Error("second"));
    expect(await db.deadLetter.findMany({ where: { jobKey: key } })).toEqual([expect.objectContaining({ error: "second", attempts: 2 })]);
  });
});
