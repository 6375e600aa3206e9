import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { GET as listRoute } from "@/app/api/v1/orders/[orderId]/cancellations/route";
import { completeManualRefundTask } from "@/server/admin/operations/complete-manual-refund-task";
import { getDb } from "@/server/db/client";
import { apiClient, callRoute, statusWhen } from "@/test/rest";
import { actorFor, importForTest, simpleOrder, withSagaWorker } from "@/test/saga-harness";

const db = getDb();
withSagaWorker();

type Progress = { phase: string; label: string; summary: string; manualRefund: { open: number; amount: string } | null };
type Status = { cancellationId: string; status: string; progress: Progress; timeline: { step: string; status: string; detail: string | null }[] };

const statusOf = (key: string, orderId: string, cancellationId: string, reached: (s: Status) => boolean) => statusWhen<Status>(key, orderId, cancellationId, reached);

/** Captured money, so that a manual refund method really leaves a refund to a person. */
function capturedOrder() {
  const order = simpleOrder(3);
  return { ...order, tenders: order.tenders.map((t) => ({ ...t, captured: t.authorized })) };
}

describe("statuses that tell the truth (issue 15)", () => {
  it("a completed cancellation with an open manual-refund task reads 'Waiting for a manual refund' in the REST status, list and timeline, until the task is done", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(capturedOrder());
    const submitted = await callRoute<Status>(submitRoute, {
      key,
      params: { orderId },
      body: { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "manual" },
      headers: { "idempotency-key": randomUUID() },
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.cancellationId;

    const waiting = await statusOf(key, orderId, id, (s) => s.status === "completed");
    expect(waiting.progress).toMatchObject({ phase: "waiting_for_manual_refund", label: "Waiting for manual refund", manualRefund: { open: 1, amount: "20.00" } });
    expect(waiting.progress.summary).toContain("Waiting for a manual refund by an admin");
    expect(waiting.progress.summary).toContain("$20.00");
    const completion = waiting.timeline.find((t) => t.step === "completion")!;
    expect(completion.status).toBe("waiting_for_manual_refund");
    expect(completion.detail).toContain("$20.00 waits for a manual refund by an admin");
    // Nothing in the answer claims the money is on its way or done.
    const text = JSON.stringify({ progress: waiting.progress, timeline: waiting.timeline.filter((t) => t.step !== "notification") });
    expect(text).not.toMatch(/on its way|Done\b/);
    const list = await callRoute<{ cancellations: { cancellationId: string; progress: Progress }[] }>(listRoute, { key, params: { orderId } });
    expect(list.body.cancellations.find((c) => c.cancellationId === id)!.progress.phase).toBe("waiting_for_manual_refund");

    const task = await db.manualRefundTask.findFirstOrThrow({ where: { cancellationId: id } });
    await completeManualRefundTask({ db, actor: await actorFor("system_admin") }, { taskId: task.id, reference: "BANK-TRANSFER-77" });
    const done = await statusOf(key, orderId, id, () => true);
    expect(done.progress).toMatchObject({ phase: "done", label: "Completed", manualRefund: null });
    expect(done.progress.summary).toBe("Done. The order is adjusted; the manual refund of $20.00 was recorded as done.");
    expect(done.timeline.filter((t) => t.step === "completion").map((t) => t.status)).toEqual(["waiting_for_manual_refund", "completed"]);
  });

  it("a cancellation refunded by the provider reads done and says what happened to the money", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(3));
    const submitted = await callRoute<Status>(submitRoute, {
      key,
      params: { orderId },
      body: { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
      headers: { "idempotency-key": randomUUID() },
    });
    const done = await statusOf(key, orderId, submitted.body.cancellationId, (s) => s.status === "completed");
    expect(done.progress.phase).toBe("done");
    expect(done.progress.summary).toBe("Done. The order is adjusted; the $10.00 hold on Visa •••• 1111 was released.");
    expect(done.timeline.find((t) => t.step === "completion")).toMatchObject({ status: "completed", detail: "Completed" });
  });
});
