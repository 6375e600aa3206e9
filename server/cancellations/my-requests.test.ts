import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { unique } from "@/test/factories";
import { actorFor, importForTest, simpleOrder } from "@/test/saga-harness";
import { decideApproval } from "./decide-approval";
import { listMyRequests } from "./list-my-requests";
import { submitCancellation } from "./submit-cancellation";
import { withdrawCancellation } from "./withdraw-cancellation";

const db = getDb();

// 60 × 10.00 = 600.00, above the agent's USD 500.00 limit: each request waits for approval.
async function request(agent: Awaited<ReturnType<typeof actorFor>>, storeId: string) {
  const { orderId } = await importForTest({ ...simpleOrder(60), storeId }, agent);
  const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [60], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  expect(answer.body.status).toBe("pending_approval");
  return { orderId, cancellationId: answer.body.cancellationId };
}

describe("listMyRequests (My requests)", () => {
  it("groups the requester's own requests as pending, decided and failed, newest first, with who decided and the counts", async () => {
    const store = unique("STORE-MINE");
    const agent = await actorFor("customer_service_agent");
    const colleague = await actorFor("customer_service_agent");
    const manager = await actorFor("store_manager", [store]);
    const approved = await request(agent, store);
    const rejected = await request(agent, store);
    const withdrawn = await request(agent, store);
    const failed = await request(agent, store);
    const pending = await request(agent, store);
    const theirs = await request(colleague, store);
    await decideApproval({ db, actor: manager }, approved.cancellationId, "approved", { note: "fine" });
    await decideApproval({ db, actor: manager }, rejected.cancellationId, "rejected", { note: "Already packed" });
    await withdrawCancellation({ db, actor: agent }, withdrawn.cancellationId, {});
    // As the saga leaves one whose order update failed (compensation/failure paths are tested in saga/).
    await decideApproval({ db, actor: manager }, failed.cancellationId, "approved", {});
    await db.cancellation.update({ where: { id: failed.cancellationId }, data: { status: "failed", failureReason: "the order could not be updated" } });

    const all = await listMyRequests({ db, actor: agent }, {});
    expect(all.counts).toEqual({ pending: 1, decided: 3, failed: 1, all: 5 });
    expect(all.requests.map((r) => r.cancellationId)).toEqual([pending, failed, withdrawn, rejected, approved].map((r) => r.cancellationId));
    expect(all.requests.map((r) => r.cancellationId)).not.toContain(theirs.cancellationId);

    const first = all.requests[0]!;
    expect(first).toMatchObject({ orderId: pending.orderId, status: "pending_approval", refundAmount: "600.00", currency: "USD", approvalReasons: ["limit"], decision: null, items: [{ lineId: "1", quantity: 60 }] });
    expect(first.expiresAt).not.toBeNull();
    expect(first.progress.phase).toBe("waiting_for_approval");

    const byId = new Map(all.requests.map((r) => [r.cancellationId, r]));
    expect(byId.get(rejected.cancellationId)).toMatchObject({ status: "rejected", expiresAt: null, decision: { decision: "rejected", by: "Test User", note: "Already packed" } });
    expect(byId.get(approved.cancellationId)).toMatchObject({ status: "processing", decision: { decision: "approved", note: "fine" } });
    expect(byId.get(failed.cancellationId)).toMatchObject({ status: "failed", failureReason: "the order could not be updated" });

    expect((await listMyRequests({ db, actor: agent }, { group: "pending" })).requests.map((r) => r.cancellationId)).toEqual([pending.cancellationId]);
    expect((await listMyRequests({ db, actor: agent }, { group: "failed" })).requests.map((r) => r.cancellationId)).toEqual([failed.cancellationId]);
    expect((await listMyRequests({ db, actor: agent }, { group: "decided" })).requests.map((r) => r.status).sort()).toEqual(["processing", "rejected", "withdrawn"]);
  });

  it("a store manager's list holds only requests on their stores' orders (a store they no longer manage drops out)", async () => {
    const [kept, dropped] = [unique("STORE-KEEP"), unique("STORE-DROP")];
    const manager = await actorFor("store_manager", [kept, dropped]);
    // A manager's request within their own limit goes straight to processing.
    const submit = async (storeId: string) => {
      const { orderId } = await importForTest({ ...simpleOrder(2), storeId }, manager);
      return (await submitCancellation({ db, actor: manager }, orderId, { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 })).body;
    };
    const inKept = await submit(kept);
    await submit(dropped);
    const now = await listMyRequests({ db, actor: { ...manager, storeIds: [kept] } }, {});
    expect(now.requests.map((r) => r.cancellationId)).toEqual([inKept.cancellationId]);
    expect(now.counts.all).toBe(1);
  });
});
