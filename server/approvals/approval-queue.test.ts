import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/server/auth/permissions";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import type { TImportOrderInput } from "@/server/orders/import-order.schema";
import { unique } from "@/test/factories";
import { actorFor, importForTest } from "@/test/saga-harness";
import { getApprovalRequest } from "./get-approval-request";
import { decideMany } from "./decide-many";
import { countDecidableApprovals, listApprovalQueue } from "./list-approval-queue";

const db = getDb();

/** One line of `quantity` units paid by a captured gift card, in a store of its own. */
function giftCardOrder(storeId: string, quantity: number, unitPrice: string): TImportOrderInput {
  const total = (Number(unitPrice) * quantity).toFixed(2);
  return {
    channel: "web",
    externalId: unique("APQ"),
    storeId,
    currency: "USD",
    customer: { id: unique("CUST"), name: "Queue Customer", email: `${unique("q")}@example.com` },
    lines: [{ lineId: "1", sku: "SKU-Q", description: "Espresso machine", quantity, unitPrice, locationId: "DC-EAST" }],
    tenders: [{ tenderId: "T1", method: "gift_card", provider: "internal", providerReference: unique("GC"), authorized: total, captured: total }],
  };
}

async function pendingRequest(requester: Actor, storeId: string, opts: { quantity?: number; unitPrice?: string } = {}) {
  const { orderId } = await importForTest(giftCardOrder(storeId, opts.quantity ?? 10, opts.unitPrice ?? "100.00"));
  const answer = await submitCancellation({ db, actor: requester }, orderId, { orderLineIds: ["1"], quantities: [opts.quantity ?? 10], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  expect(answer.body.status).toBe("pending_approval");
  return { orderId, cancellationId: answer.body.cancellationId };
}

describe("the approval queue", () => {
  it("shows a manager the pending requests of their stores only, with requester, amount, reasons, lines and expiry", async () => {
    const store = unique("STORE");
    const otherStore = unique("STORE");
    const agent = await actorFor("customer_service_agent");
    const manager = await actorFor("store_manager", [store]);
    const mine = await pendingRequest(agent, store);
    const elsewhere = await pendingRequest(agent, otherStore);

    const queue = await listApprovalQueue({ db, actor: manager }, {});
    const ids = queue.requests.map((r) => r.cancellationId);
    expect(ids).toContain(mine.cancellationId);
    expect(ids).not.toContain(elsewhere.cancellationId);
    const row = queue.requests.find((r) => r.cancellationId === mine.cancellationId)!;
    expect(row).toMatchObject({
      orderId: mine.orderId,
      storeId: store,
      currency: "USD",
      refundAmount: "1000.00",
      reasons: ["limit"],
      approverRole: "store_manager",
      requestedBy: { userId: agent.userId },
      items: [{ orderLineId: "1", description: "Espresso machine", sku: "SKU-Q", quantity: 10 }],
      block: null,
    });
    const hoursLeft = (Date.parse(row.expiresAt!) - Date.parse(row.createdAt)) / 3_600_000;
    expect(hoursLeft).toBeCloseTo(72, 1);

    await expect(getApprovalRequest({ db, actor: manager }, { cancellationId: elsewhere.cancellationId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const detail = await getApprovalRequest({ db, actor: manager }, { cancellationId: mine.cancellationId });
    expect(detail.cancellation.totals.total).toBe("1000.00");
    expect(detail.cancellation.allocation).toEqual([{ tenderId: "T1", operation: "refund", amount: "1000.00" }]);
    expect(detail.order.lines).toEqual([expect.objectContaining({ lineId: "1", quantity: 10 })]);
  });

  it("lists the requester's own request as not theirs to decide, and one above the manager limit as an admin's", async () => {
    const store = unique("STORE");
    const manager = await actorFor("store_manager", [store]);
    const colleague = await actorFor("store_manager", [store]);
    const admin = await actorFor("system_admin");
    // A manager's own request above their limit (10 × 500.00) waits for an admin.
    const own = await pendingRequest(manager, store, { quantity: 1, unitPrice: "6000.00" });

    const forRequester = await listApprovalQueue({ db, actor: manager }, {});
    expect(forRequester.requests.find((r) => r.cancellationId === own.cancellationId)?.block).toBe("own_request");
    const forColleague = await listApprovalQueue({ db, actor: colleague }, { storeId: store });
    expect(forColleague.requests.map((r) => [r.cancellationId, r.block])).toEqual([[own.cancellationId, "needs_system_admin"]]);
    const forAdmin = await listApprovalQueue({ db, actor: admin }, { storeId: store });
    expect(forAdmin.requests.map((r) => r.block)).toEqual([null]);

    // The rules the flags announce are the rules decideApproval enforces.
    await expect(decideApproval({ db, actor: manager }, own.cancellationId, "approved", {})).rejects.toMatchObject({ code: "SELF_APPROVAL_FORBIDDEN" });
    await expect(decideApproval({ db, actor: colleague }, own.cancellationId, "approved", {})).rejects.toMatchObject({ code: "MANAGER_LIMIT_EXCEEDED" });
  });

  it("drops a decided request from every queue, and a second decision says who was first", async () => {
    const store = unique("STORE");
    const agent = await actorFor("customer_service_agent");
    const first = await actorFor("store_manager", [store]);
    const second = await actorFor("store_manager", [store]);
    const { cancellationId } = await pendingRequest(agent, store);

    await decideApproval({ db, actor: first }, cancellationId, "rejected", { note: "Customer already received it" });
    const queue = await listApprovalQueue({ db, actor: second }, { storeId: store });
    expect(queue.requests).toEqual([]);
    await expect(decideApproval({ db, actor: second }, cancellationId, "approved", {})).rejects.toMatchObject({
      code: "INVALID_STATE",
      details: { status: "rejected" },
    });
    const detail = await getApprovalRequest({ db, actor: second }, { cancellationId });
    expect(detail.block).toBe("decided");
    expect(detail.cancellation.approval).toMatchObject({ decision: "rejected", note: "Customer already received it", decidedById: first.userId });
  });

  it("keeps the numbers of the gate with the request: the limit held against, whose it is, and the excess", async () => {
    const store = unique("STORE");
    const agent = await actorFor("customer_service_agent");
    const manager = await actorFor("store_manager", [store]);
    const { cancellationId } = await pendingRequest(agent, store, { quantity: 1, unitPrice: "612.40" });
    const row = (await listApprovalQueue({ db, actor: manager }, { storeId: store })).requests.find((r) => r.cancellationId === cancellationId)!;
    expect(row.approval).toMatchObject({ reasons: ["limit"], limitRole: "customer_service_agent", limit: "500.00", excess: "112.40", total: "612.40", velocity: null });
  });

  it("filters by reason, amount (in the request's currency) and age, sorts by amount, and counts what the reader can decide", async () => {
    const store = unique("STORE");
    const agent = await actorFor("customer_service_agent");
    const manager = await actorFor("store_manager", [store]);
    const small = await pendingRequest(agent, store, { quantity: 1, unitPrice: "600.00" });
    const large = await pendingRequest(agent, store, { quantity: 1, unitPrice: "2000.00" });
    const old = await pendingRequest(agent, store, { quantity: 1, unitPrice: "900.00" });
    await db.cancellation.update({ where: { id: old.cancellationId }, data: { createdAt: new Date(Date.now() - 30 * 3_600_000) } });
    const own = await pendingRequest(manager, store, { quantity: 1, unitPrice: "6000.00" });
    const ids = async (input: object) => (await listApprovalQueue({ db, actor: manager }, { storeId: store, ...input })).requests.map((r) => r.cancellationId);

    expect(await ids({ sort: "amount" })).toEqual([own.cancellationId, large.cancellationId, old.cancellationId, small.cancellationId]);
    expect(await ids({ minAmount: "900", maxAmount: "2000", sort: "amount" })).toEqual([large.cancellationId, old.cancellationId]);
    expect(await ids({ minAmount: "600.001" })).not.toContain(small.cancellationId);
    expect(await ids({ olderThanHours: 24 })).toEqual([old.cancellationId]);
    expect(await ids({ reason: "velocity" })).toEqual([]);
    expect((await ids({ reason: "limit" })).length).toBe(4);
    expect((await listApprovalQueue({ db, actor: manager }, { storeId: store, minAmount: "900" })).matching).toBe(3);
    await expect(listApprovalQueue({ db, actor: manager }, { minAmount: "1e3" })).rejects.toThrow();

    // Not the manager's own request, nor one above their limit: three of the four.
    const colleague = await actorFor("store_manager", [store]);
    expect(await countDecidableApprovals({ db, actor: colleague })).toEqual({ count: 3 });
    expect(await countDecidableApprovals({ db, actor: manager })).toEqual({ count: 3 });
  });

  it("decides several at once, each on its own: one another approver decided first and the reader's own request are reported, the others are decided", async () => {
    const store = unique("STORE");
    const agent = await actorFor("customer_service_agent");
    const manager = await actorFor("store_manager", [store]);
    const other = await actorFor("store_manager", [store]);
    const a = await pendingRequest(agent, store);
    const b = await pendingRequest(agent, store);
    const c = await pendingRequest(agent, store);
    // Above the manager limit, so it waits (for an admin); four eyes refuses it first.
    const own = await pendingRequest(manager, store, { quantity: 1, unitPrice: "6000.00" });
    await decideApproval({ db, actor: other }, b.cancellationId, "rejected", { note: "Fraud check failed" });

    const { results } = await decideMany({ db, actor: manager }, { cancellationIds: [a.cancellationId, b.cancellationId, own.cancellationId, c.cancellationId], decision: "approved" });
    expect(results.map((r) => [r.cancellationId, r.ok, r.ok ? r.status : r.code])).toEqual([
      [a.cancellationId, true, "processing"],
      [b.cancellationId, false, "INVALID_STATE"],
      [own.cancellationId, false, "SELF_APPROVAL_FORBIDDEN"],
      [c.cancellationId, true, "processing"],
    ]);
    expect(results[1]).toMatchObject({ ok: false, status: "rejected" });
    const statuses = await db.cancellation.findMany({ where: { id: { in: [a.cancellationId, b.cancellationId, c.cancellationId, own.cancellationId] } }, select: { id: true, status: true } });
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      [a.cancellationId]: "processing",
      [b.cancellationId]: "rejected",
      [c.cancellationId]: "processing",
      [own.cancellationId]: "pending_approval",
    });
    const detail = await getApprovalRequest({ db, actor: other }, { cancellationId: a.cancellationId });
    expect(detail.cancellation.approval).toMatchObject({ decision: "approved", decidedBy: { userId: manager.userId, name: manager.name } });
    const audits = await db.auditLog.count({ where: { action: "cancellation.approved", actorId: manager.userId } });
    expect(audits).toBe(2);

    const admin = await actorFor("system_admin");
    await expect(decideMany({ db, actor: admin }, { cancellationIds: [own.cancellationId], decision: "rejected" })).rejects.toThrow(/rejection needs a note/);
    const rejected = await decideMany({ db, actor: admin }, { cancellationIds: [own.cancellationId], decision: "rejected", note: "Exchange instead" });
    expect(rejected.results).toEqual([{ cancellationId: own.cancellationId, ok: true, status: "rejected", decidedAt: expect.any(String) }]);
  });
});
