import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as approveRoute } from "@/app/api/v1/cancellations/[cancellationId]/approve/route";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { getDb } from "@/server/db/client";
import { apiClient, callRoute } from "@/test/rest";
import { importForTest, simpleOrder } from "@/test/saga-harness";

/*
 * SPEC §5 manager_limit: above the store manager's limit (10 × the agent's 500.00 USD = 5,000.00)
 * the preview says so with the limit and the excess, and only a system admin may approve.
 */
const db = getDb();
const APPROVER = ["orders:read", "orders:write", "cancellations:write", "cancellations:approve"] as const;

type Approval = { required: boolean; reasons: string[]; approverRole: string | null; limitRole: string | null; limit: string | null; excess: string | null; managerLimit: string | null; managerExcess: string | null };
type Answer = { cancellationId: string; status: string; approvalReasons: string[]; approval: Approval; error?: { code: string; message: string } };

const body = (quantity: number) => ({ orderLineIds: ["1"], quantities: [quantity], reason: "CUSTOMER_REQUEST", refundMethod: "original" });
const preview = (key: string, orderId: string, quantity: number) => callRoute<Answer>(previewRoute, { key, params: { orderId }, body: body(quantity) });
const submit = (key: string, orderId: string, quantity: number) =>
  callRoute<Answer>(submitRoute, { key, params: { orderId }, body: body(quantity), path: `/api/v1/orders/${orderId}/cancel-partial?wait=0`, headers: { "idempotency-key": randomUUID() } });
const approve = (key: string, cancellationId: string) =>
  callRoute<Answer>(approveRoute, { key, params: { cancellationId }, method: "POST", body: { note: "checked" }, path: `/api/v1/cancellations/${cancellationId}/approve` });

describe("manager_limit (SPEC §5)", () => {
  it("an agent's 6,000.00: the preview says limit and manager_limit with both limits and excesses; a store manager's approval is refused 403 MANAGER_LIMIT_EXCEEDED, a system admin's accepted", async () => {
    const agent = await apiClient({ role: "customer_service_agent" });
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"], scopes: [...APPROVER] });
    const admin = await apiClient({ role: "system_admin", scopes: [...APPROVER] });
    const { orderId } = await importForTest(simpleOrder(700)); // 700 × 10.00

    const shown = await preview(agent.key, orderId, 600);
    expect(shown.status).toBe(200);
    expect(shown.body.approvalReasons).toEqual(["limit", "manager_limit"]);
    expect(shown.body.approval).toMatchObject({
      required: true, approverRole: "system_admin", limitRole: "customer_service_agent",
      limit: "500.00", excess: "5500.00", managerLimit: "5000.00", managerExcess: "1000.00",
    });
    // At the manager's limit exactly: a store manager approves, and manager_limit is not said.
    const atLimit = await preview(agent.key, orderId, 500);
    expect(atLimit.body.approval).toMatchObject({ reasons: ["limit"], approverRole: "store_manager", managerLimit: null, managerExcess: null });

    const pending = await submit(agent.key, orderId, 600);
    expect([pending.status, pending.body.status, pending.body.approvalReasons]).toEqual([201, "pending_approval", ["limit", "manager_limit"]]);
    const id = pending.body.cancellationId;
    const before = await db.cancellation.findUniqueOrThrow({ where: { id }, include: { approval: true, timeline: true } });

    const refused = await approve(manager.key, id);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe("MANAGER_LIMIT_EXCEEDED");
    expect(refused.body.error?.message).toContain("only a system admin");
    const after = await db.cancellation.findUniqueOrThrow({ where: { id }, include: { approval: true, timeline: true } });
    expect(after).toEqual(before); // nothing changed

    const approved = await approve(admin.key, id);
    expect([approved.status, approved.body.status]).toEqual([200, "processing"]);
  });

  it("a store manager's own 6,000.00 needs a system admin: manager_limit with the manager's limit and excess", async () => {
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"], scopes: [...APPROVER] });
    const { orderId } = await importForTest(simpleOrder(700));
    const shown = await preview(manager.key, orderId, 600);
    expect(shown.body.approval).toMatchObject({ reasons: ["limit", "manager_limit"], approverRole: "system_admin", limitRole: "store_manager", limit: "5000.00", excess: "1000.00", managerLimit: "5000.00", managerExcess: "1000.00" });
    expect((await preview(manager.key, orderId, 500)).body.approval).toMatchObject({ required: false, reasons: [] });
  });
});
