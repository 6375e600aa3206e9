import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { TASKS } from "@/server/saga/jobs";
import { unique } from "@/test/factories";
import { actorFor, importForTest } from "@/test/saga-harness";
import { completeManualRefundTask } from "./complete-manual-refund-task";
import { listDeadLetters } from "./list-dead-letters";
import { listManualRefundTasks } from "./list-manual-refund-tasks";
import { getProviderHealth } from "./provider-health";
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
    expect((await db.deadLetter.findUniqueOrThrow({ where: { id: dl.id } })).retriedAt).not.toBeNull();
    expect(await db.auditLog.count({ where: { action: "dead_letter.retried", entityId: dl.id, actorId: admin.userId } })).toBe(1);
    await expect(retryDeadLetterAsAdmin({ db, actor: admin }, { deadLetterId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("marks a manual-refund task done once, with its reference on the timeline and in the audit log", async () => {
    const { admin, orderId, cancellationId } = await rejectedCancellation();
    const task = await db.manualRefundTask.create({ data: { cancellationId, amount: 12345, currency: "USD", reason: "Refund method is manual" } });
    expect((await listManualRefundTasks({ db }, { status: "open" })).find((t) => t.taskId === task.id)).toMatchObject({ amount: "123.45", orderId, status: "open" });

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

  it("reports this process's circuit breakers for every provider", async () => {
    const health = await getProviderHealth({ db });
    expect(health.circuits.map((c) => c.provider).sort()).toEqual(["adyen", "paypal", "stripe"]);
    expect(health.process.pid).toBe(process.pid);
  });
});
