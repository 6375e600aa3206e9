import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { TASKS } from "@/server/jobs/queue";
import { unique } from "@/test/factories";
import { actorFor, importForTest } from "@/test/saga-harness";
import { completeManualRefundTask } from "./complete-manual-refund-task";
import { listDeadLetters } from "./list-dead-letters";
import { listManualRefundTasks } from "./list-manual-refund-tasks";
import { getProviderHealth } from "./provider-health";
import { deadLetter } from "@/server/saga/dead-letters";
import type { Job } from "graphile-worker";
import { resolveDeadLetterAsAdmin } from "./resolve-dead-letter";
import { retryDeadLetterAsAdmin } from "./retry-dead-letter";

const db = getDb();

/** A rejected cancellation: something to hang dead letters and tasks on that no worker will touch. */
async function rejectedCancellation() {
  const agent = await actorFor("customer_service_agent");
  const admin = await actorFor("system_admin");
  const { orderId } = await importForTest(
    {
      channel: "web",
      externalId: unique("OPS"),
      storeId: unique("STORE"),
      currency: "USD",
      customer: { id: unique("CUST"), name: "Ops Customer", email: `${unique("ops")}@example.com` },
      lines: [{ lineId: "1", sku: "SKU", quantity: 1, unitPrice: "900.00", locationId: "DC" }],
      tenders: [{ tenderId: "T1", method: "gift_card", provider: "internal", providerReference: unique("GC"), authorized: "900.00", captured: "900.00" }],
    },
    agent,
  );
  const { body } = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  await decideApproval({ db, actor: admin }, body.cancellationId, "rejected", { note: "test" });
  return { admin, orderId, cancellationId: body.cancellationId };
}

describe("operations", () => {
  it("lists dead letters and retries one, audited", async () => {
    const { admin, orderId, cancellationId } = await rejectedCancellation();
    const dl = await db.deadLetter.create({ data: { cancellationId, step: TASKS.saga, payload: { cancellationId }, error: "stripe timeout", attempts: 8 } });
    const listed = (await listDeadLetters({ db }, {})).find((d) => d.deadLetterId === dl.id);
    expect(listed).toMatchObject({ step: TASKS.saga, error: "stripe timeout", attempts: 8, orderId, cancellationStatus: "rejected", retriedAt: null });

    await retryDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: dl.id });
    const retried = await db.deadLetter.findUniqueOrThrow({ where: { id: dl.id } });
    expect(retried.retriedAt).not.toBeNull();
    expect(retried.resolvedAt).toEqual(retried.retriedAt);
    expect(retried.resolvedById).toBe(admin.userId);
    expect(await db.auditLog.count({ where: { action: "dead_letter.retried", entityId: dl.id, actorId: admin.userId } })).toBe(1);
    await expect(retryDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a retry requeues the job under its job key and limit, once; a second retry is INVALID_STATE", async () => {
    const { admin, cancellationId } = await rejectedCancellation();
    const jobKey = `inventory:${cancellationId}`;
    const job = { task_identifier: TASKS.inventoryRetry, payload: { cancellationId }, attempts: 10, max_attempts: 10, key: jobKey } as unknown as Job;
    await deadLetter(db, job, new Error("warehouse down"));
    const dl = await db.deadLetter.findFirstOrThrow({ where: { cancellationId, step: TASKS.inventoryRetry } });
    expect([dl.jobKey, dl.maxAttempts, dl.resolvedAt]).toEqual([jobKey, 10, null]);

    await retryDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: dl.id });
    const jobs = await db.$queryRaw<{ task_identifier: string; max_attempts: number; attempts: number }[]>`
      SELECT task_identifier, max_attempts, attempts FROM graphile_worker.jobs WHERE key = ${jobKey}`;
    expect(jobs).toEqual([{ task_identifier: TASKS.inventoryRetry, max_attempts: 10, attempts: 0 }]);
    await expect(retryDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: dl.id })).rejects.toMatchObject({ code: "INVALID_STATE" });
    expect(await db.auditLog.count({ where: { action: "dead_letter.retried", entityId: dl.id } })).toBe(1);
    const timeline = await db.cancellationTimelineEntry.findMany({ where: { cancellationId, step: TASKS.inventoryRetry }, orderBy: { at: "asc" } });
    expect(timeline.map((t) => t.status)).toEqual(["dead_letter", "retried"]);
  });

  it("a retry is atomic with its audit entry: when the audit write fails, no job is queued and the dead letter stays open", async () => {
    const { admin, cancellationId } = await rejectedCancellation();
    const jobKey = `inventory:${cancellationId}`;
    const dl = await db.deadLetter.create({ data: { cancellationId, step: TASKS.inventoryRetry, payload: { cancellationId }, error: "x", attempts: 10, jobKey, maxAttempts: 10 } });
    // This test file's own database: a trigger refuses the audit entry of this one dead letter.
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION refuse_audit_${dl.id.replace(/-/g, "")}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_audit_${dl.id.replace(/-/g, "")} BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.entity_id = '${dl.id}') EXECUTE FUNCTION refuse_audit_${dl.id.replace(/-/g, "")}()`);
    try {
      await expect(retryDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: dl.id })).rejects.toThrow(/audit refused/);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER refuse_audit_${dl.id.replace(/-/g, "")} ON audit_log`);
    }
    const after = await db.deadLetter.findUniqueOrThrow({ where: { id: dl.id } });
    expect([after.retriedAt, after.resolvedAt]).toEqual([null, null]);
    expect(await db.$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker.jobs WHERE key = ${jobKey}`).toHaveLength(0);
  });

  it("resolves a dead letter without a retry: a note is required, it is audited and on the timeline, and then it cannot be retried", async () => {
    const { admin, cancellationId } = await rejectedCancellation();
    const dl = await db.deadLetter.create({ data: { cancellationId, step: TASKS.saga, payload: { cancellationId }, error: "stripe timeout", attempts: 8, jobKey: `saga:${cancellationId}`, maxAttempts: 8 } });
    await expect(resolveDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: dl.id, note: "   " })).rejects.toThrow(/say why/);
    expect((await db.deadLetter.findUniqueOrThrow({ where: { id: dl.id } })).resolvedAt).toBeNull();

    const done = await resolveDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: dl.id, note: "Refunded by hand in the Stripe dashboard" });
    expect(done.note).toBe("Refunded by hand in the Stripe dashboard");
    const resolved = await db.deadLetter.findUniqueOrThrow({ where: { id: dl.id } });
    expect([resolved.retriedAt, resolved.resolvedById, resolved.resolutionNote]).toEqual([null, admin.userId, "Refunded by hand in the Stripe dashboard"]);
    expect(resolved.resolvedAt).not.toBeNull();
    expect((await listDeadLetters({ db }, { includeResolved: true })).find((d) => d.deadLetterId === dl.id)).toMatchObject({ resolvedBy: expect.any(String), resolutionNote: "Refunded by hand in the Stripe dashboard" });
    expect((await listDeadLetters({ db }, {})).some((d) => d.deadLetterId === dl.id)).toBe(false);
    expect(await db.auditLog.count({ where: { action: "dead_letter.resolved", entityId: dl.id, actorId: admin.userId } })).toBe(1);
    expect(await db.cancellationTimelineEntry.count({ where: { cancellationId, step: TASKS.saga, status: "resolved" } })).toBe(1);

    await expect(retryDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: dl.id })).rejects.toMatchObject({ code: "INVALID_STATE" });
    await expect(resolveDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: dl.id, note: "again" })).rejects.toMatchObject({ code: "INVALID_STATE" });
    expect(await db.$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker.jobs WHERE key = ${`saga:${cancellationId}`}`).toHaveLength(0);
  });

  it("marks a manual-refund task done once, with its reference on the timeline and in the audit log", async () => {
    const { admin, orderId, cancellationId } = await rejectedCancellation();
    const task = await db.manualRefundTask.create({ data: { cancellationId, amount: 12345, currency: "USD", reason: "Refund method is manual", origin: "refund_method" } });
    expect((await listManualRefundTasks({ db }, { status: "open" })).find((t) => t.taskId === task.id)).toMatchObject({ amount: "123.45", orderId, status: "open", origin: "refund_method", verifyAtProvider: false });

    await expect(completeManualRefundTask({ db, actor: admin }, { taskId: task.id, reference: "  " })).rejects.toThrow();
    const done = await completeManualRefundTask({ db, actor: admin }, { taskId: task.id, reference: "BANK-TRF-77" });
    expect(done).toMatchObject({ status: "done", reference: "BANK-TRF-77" });
    await expect(completeManualRefundTask({ db, actor: admin }, { taskId: task.id, reference: "AGAIN" })).rejects.toMatchObject({
      code: "INVALID_STATE",
      message: "This task was already marked done (reference BANK-TRF-77).",
    });
    expect((await listManualRefundTasks({ db }, { status: "done" })).find((t) => t.taskId === task.id)).toMatchObject({ reference: "BANK-TRF-77" });
    const timeline = await db.cancellationTimelineEntry.findMany({ where: { cancellationId, step: "manual_refund" } });
    expect(timeline).toEqual([expect.objectContaining({ status: "succeeded", detail: expect.stringContaining("BANK-TRF-77") })]);
    expect(await db.auditLog.count({ where: { action: "manual_refund.completed", entityId: task.id, orderId } })).toBe(1);
  });

  it("says where each task came from, and which to verify at the provider first", async () => {
    const { cancellationId } = await rejectedCancellation();
    const declined = await db.manualRefundTask.create({ data: { cancellationId, amount: 100, currency: "USD", reason: "stripe declined", origin: "declined" } });
    const reconciled = await db.manualRefundTask.create({ data: { cancellationId, amount: 200, currency: "USD", reason: "shown not done", origin: "reconciled_unknown" } });
    const unverified = await db.manualRefundTask.create({ data: { cancellationId, amount: 300, currency: "USD", reason: "still unknown", origin: "unverified_unknown", verifyAtProvider: true } });
    const listed = await listManualRefundTasks({ db }, { status: "open" });
    const of = (id: string) => listed.find((t) => t.taskId === id);
    expect(of(declined.id)).toMatchObject({ origin: "declined", verifyAtProvider: false });
    expect(of(reconciled.id)).toMatchObject({ origin: "reconciled_unknown", verifyAtProvider: false });
    expect(of(unverified.id)).toMatchObject({ origin: "unverified_unknown", verifyAtProvider: true });
  });

  it("reports every provider's circuit breaker from the database", async () => {
    const health = await getProviderHealth({ db });
    expect(health.circuits.map((c) => c.provider).sort()).toEqual(["adyen", "paypal", "stripe", "warehouse"]);
    expect(health.circuits.every((c) => c.state === "closed")).toBe(true);
  });
});
