import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as approveRoute } from "@/app/api/v1/cancellations/[cancellationId]/approve/route";
import { POST as withdrawRoute } from "@/app/api/v1/cancellations/[cancellationId]/withdraw/route";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { GET as orderRoute } from "@/app/api/v1/orders/[orderId]/route";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { DEFAULT_BUSINESS_RULES } from "@/server/domain/approval-policy";
import { isAppError } from "@/server/domain/errors";
import { apiClient, callRoute } from "@/test/rest";
import { actorFor, exampleA, importForTest } from "@/test/saga-harness";
import { submitCancellation } from "./submit-cancellation";
import { withdrawCancellation } from "./withdraw-cancellation";

const db = getDb();
type View = { cancellationId: string; status: string; refundAmount: string; timeline: { step: string; status: string; detail: string | null }[]; error?: { code: string; details?: { status?: string } } };
const body = (lines: string[], quantities: number[]) => ({ orderLineIds: lines, quantities, reason: "CUSTOMER_REQUEST", refundMethod: "original" });

// An agent limit of 100.00 USD: cancelling 2 of example A's line A (194.85) waits for approval.
beforeAll(async () => {
  await db.businessRules.create({ data: { version: 1, rules: JSON.parse(JSON.stringify({ ...DEFAULT_BUSINESS_RULES, agentLimits: { USD: "100.00" } })) } });
});

async function snapshot(orderId: string) {
  const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: { orderBy: { position: "asc" } }, tenders: { orderBy: { position: "asc" } } } }).then(numbered);
  return {
    version: order.version,
    shipping: [order.shippingRefunded, order.shippingTaxRefunded],
    lines: order.lines.map((l) => ({ lineId: l.lineId, pendingCancel: l.pendingCancel, cancelled: l.cancelled, netRefunded: l.netRefunded, taxRefunded: l.taxRefunded })),
    tenders: order.tenders.map((t) => ({ tenderId: t.tenderId, reversalHeld: t.reversalHeld, refundHeld: t.refundHeld, reversed: t.reversed, refunded: t.refunded })),
  };
}

async function submitRest(key: string, orderId: string, b: unknown) {
  return callRoute<View>(submitRoute, { key, params: { orderId }, body: b, path: `/api/v1/orders/${orderId}/cancel-partial?wait=0`, headers: { "idempotency-key": randomUUID() } });
}

const withdraw = (key: string, cancellationId: string, b?: unknown) =>
  callRoute<View>(withdrawRoute, { key, params: { cancellationId }, method: "POST", body: b, path: `/api/v1/cancellations/${cancellationId}/withdraw` });

describe("POST /api/v1/cancellations/{id}/withdraw", () => {
  it("gives back exactly the units and amounts held, and a later cancellation refunds what it would have without the withdrawn one", async () => {
    const agent = await apiClient({ role: "customer_service_agent" });
    const { orderId } = await importForTest(exampleA());
    const before = await snapshot(orderId);

    const pending = await submitRest(agent.key, orderId, body(["A"], [2]));
    expect(pending.status).toBe(201);
    expect(pending.body).toMatchObject({ status: "pending_approval", refundAmount: "194.85" });
    const held = await snapshot(orderId);
    expect(held.lines[0]).toMatchObject({ pendingCancel: 2, netRefunded: 18000, taxRefunded: 1485 });
    expect(held.tenders[0]!.reversalHeld).toBe(19485);

    const out = await withdraw(agent.key, pending.body.cancellationId, { note: "customer changed their mind" });
    expect(out.status).toBe(200);
    expect(out.body.status).toBe("withdrawn");
    expect(out.body.timeline.at(-1)).toMatchObject({ step: "approval", status: "withdrawn" });
    expect(out.body.timeline.at(-1)!.detail).toContain("customer changed their mind");

    const after = await snapshot(orderId);
    expect({ ...after, version: undefined }).toEqual({ ...before, version: undefined });
    expect(after.version).toBeGreaterThan(held.version);
    const order = await callRoute<{ lines: { lineId: string; cancellable: number }[] }>(orderRoute, { key: agent.key, params: { orderId } });
    expect(order.body.lines.map((l) => [l.lineId, l.cancellable])).toEqual([["A", 3], ["B", 1]]);

    const event = await db.outboxEvent.findFirstOrThrow({ where: { orderId, type: "CancellationWithdrawn" } });
    expect(event).toMatchObject({ topic: "cancellation-events", key: orderId });
    expect(event.payload).toMatchObject({ cancellationId: pending.body.cancellationId, withdrawnBy: agent.user.id, note: "customer changed their mind" });
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: pending.body.cancellationId, action: "cancellation.withdrawn" } });
    expect(audit).toMatchObject({ actorType: "api_key", actorId: agent.user.id, orderId });

    // Worked example A again, as if the withdrawn request had never been made.
    const admin = await actorFor("system_admin");
    const refunds: string[] = [];
    for (const [line, quantity] of [["A", 2], ["A", 1], ["B", 1]] as const) {
      const r = await submitCancellation({ db, actor: admin }, orderId, body([line], [quantity]), { idempotencyKey: randomUUID(), waitMs: 0 });
      refunds.push(r.body.refundAmount);
    }
    // No saga runs here, so the first two still hold their units when B is cancelled: B takes no
    // shipping (SPEC §3); the saga that fully cancels the order adds it (saga/shipping-added.test.ts).
    expect(refunds).toEqual(["194.85", "97.43", "48.71"]);
    const end = await snapshot(orderId);
    expect(end.lines.map((l) => [l.netRefunded, l.taxRefunded])).toEqual([[27000, 2228], [4500, 371]]);
    expect(end.shipping).toEqual([0, 0]);
  });

  it("answers 403 NOT_REQUESTER to a manager of the store who did not request it, 404 outside the manager's stores, and lets a system admin withdraw", async () => {
    const agent = await apiClient({ role: "customer_service_agent" });
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"], scopes: ["cancellations:write", "cancellations:approve"] });
    const otherManager = await apiClient({ role: "store_manager", stores: ["STORE-003"], scopes: ["cancellations:write"] });
    const otherAgent = await apiClient({ role: "customer_service_agent" });
    const admin = await apiClient({ role: "system_admin", scopes: ["cancellations:write"] });
    const { orderId } = await importForTest(exampleA("STORE-001"));
    const pending = await submitRest(agent.key, orderId, body(["A"], [2]));
    const id = pending.body.cancellationId;
    const held = await snapshot(orderId);

    const byManager = await withdraw(manager.key, id);
    expect([byManager.status, byManager.body.error?.code]).toEqual([403, "NOT_REQUESTER"]);
    const byOtherAgent = await withdraw(otherAgent.key, id);
    expect([byOtherAgent.status, byOtherAgent.body.error?.code]).toEqual([403, "NOT_REQUESTER"]);
    const outside = await withdraw(otherManager.key, id);
    expect([outside.status, outside.body.error?.code]).toEqual([404, "NOT_FOUND"]);
    const unknown = await withdraw(agent.key, randomUUID());
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, "NOT_FOUND"]);
    const notUuid = await withdraw(agent.key, "not-a-uuid");
    expect(notUuid.status).toBe(404);
    const badBody = await withdraw(agent.key, id, { note: 42 });
    expect([badBody.status, badBody.body.error?.code]).toEqual([400, "VALIDATION_FAILED"]);
    expect(await snapshot(orderId)).toEqual(held);
    expect(await db.cancellation.findUniqueOrThrow({ where: { id } }).then(numbered)).toMatchObject({ status: "pending_approval" });

    const byAdmin = await withdraw(admin.key, id);
    expect([byAdmin.status, byAdmin.body.status]).toEqual([200, "withdrawn"]);
    expect(byAdmin.body.timeline.at(-1)!.detail).toContain("a system admin");
    const line = await db.orderLine.findFirstOrThrow({ where: { orderId, lineId: "A" } }).then(numbered);
    expect([line.pendingCancel, line.netRefunded, line.taxRefunded]).toEqual([0, 0, 0]);
  });

  it("a JSON body that is not an object (null, an array, a number) is a 400 for approve and withdraw, and the request stays pending", async () => {
    const agent = await apiClient({ role: "customer_service_agent" });
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"], scopes: ["cancellations:approve"] });
    const { orderId } = await importForTest(exampleA("STORE-001"));
    const id = (await submitRest(agent.key, orderId, body(["A"], [2]))).body.cancellationId;
    const held = await snapshot(orderId);
    for (const rawBody of ["null", "[]", "1"]) {
      const approve = await callRoute<View>(approveRoute, { key: manager.key, params: { cancellationId: id }, method: "POST", rawBody });
      expect([rawBody, approve.status, approve.body.error?.code]).toEqual([rawBody, 400, "VALIDATION_FAILED"]);
      const out = await callRoute<View>(withdrawRoute, { key: agent.key, params: { cancellationId: id }, method: "POST", rawBody });
      expect([rawBody, out.status, out.body.error?.code]).toEqual([rawBody, 400, "VALIDATION_FAILED"]);
    }
    expect(await snapshot(orderId)).toEqual(held);
    expect((await db.cancellation.findUniqueOrThrow({ where: { id } })).status).toBe("pending_approval");
  });

  it("refuses with 409 CANCELLATION_NOT_PENDING once the request is no longer pending, and changes nothing", async () => {
    const agent = await apiClient({ role: "customer_service_agent" });
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"], scopes: ["cancellations:approve"] });
    const { orderId } = await importForTest(exampleA("STORE-001"));

    const first = await submitRest(agent.key, orderId, body(["A"], [2]));
    expect((await withdraw(agent.key, first.body.cancellationId)).status).toBe(200);
    const again = await withdraw(agent.key, first.body.cancellationId);
    expect([again.status, again.body.error?.code, again.body.error?.details?.status]).toEqual([409, "CANCELLATION_NOT_PENDING", "withdrawn"]);
    const lateApproval = await callRoute<View>(approveRoute, { key: manager.key, params: { cancellationId: first.body.cancellationId }, method: "POST", body: {} });
    expect([lateApproval.status, lateApproval.body.error?.code]).toEqual([409, "INVALID_STATE"]);

    const second = await submitRest(agent.key, orderId, body(["A"], [2]));
    const approved = await callRoute<View>(approveRoute, { key: manager.key, params: { cancellationId: second.body.cancellationId }, method: "POST", body: {} });
    expect(approved.status).toBe(200);
    const held = await snapshot(orderId);
    const tooLate = await withdraw(agent.key, second.body.cancellationId);
    expect([tooLate.status, tooLate.body.error?.code, tooLate.body.error?.details?.status]).toEqual([409, "CANCELLATION_NOT_PENDING", "processing"]);
    expect(await snapshot(orderId)).toEqual(held);
    expect(await db.outboxEvent.count({ where: { orderId, type: "CancellationWithdrawn" } })).toBe(1);
  });

  it("two withdrawals racing: one wins, the other is refused, the units are given back once", async () => {
    const agent = await actorFor("customer_service_agent");
    const { orderId } = await importForTest(exampleA());
    const pending = await submitCancellation({ db, actor: agent }, orderId, body(["A"], [2]), { idempotencyKey: randomUUID(), waitMs: 0 });
    const results = await Promise.allSettled([0, 1, 2].map(() => withdrawCancellation({ db, actor: agent }, pending.body.cancellationId, {})));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((x) => x.status === "rejected")) {
      expect(isAppError(r.reason) && r.reason.code).toBe("CANCELLATION_NOT_PENDING");
    }
    const line = await db.orderLine.findFirstOrThrow({ where: { orderId, lineId: "A" } }).then(numbered);
    expect([line.pendingCancel, line.netRefunded, line.taxRefunded]).toEqual([0, 0, 0]);
  });
});
