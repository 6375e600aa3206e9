import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { actorFor, importForTest, simpleOrder } from "@/test/saga-harness";
import { expirePendingApprovals } from "./expire-approvals";
import { submitCancellation } from "./submit-cancellation";

const db = getDb();

describe("approval expiry", () => {
  it("a pending request past its expiry becomes expired and its units are cancellable again; a fresh one is untouched", async () => {
    const agent = await actorFor();
    const { orderId } = await importForTest({ ...simpleOrder(200), storeId: "STORE-EXP" });
    const old = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [60], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    const fresh = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [55], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
    expect([old.body.status, fresh.body.status]).toEqual(["pending_approval", "pending_approval"]);
    const created = await db.cancellation.findUniqueOrThrow({ where: { id: old.body.cancellationId } }).then(numbered);
    expect(Math.abs(created.expiresAt!.getTime() - created.createdAt.getTime() - 72 * 3_600_000)).toBeLessThan(60_000); // 72 h, not 48 or 96: a minute's slack for a loaded machine

    const later = new Date(created.expiresAt!.getTime() + 1000);
    await db.cancellation.update({ where: { id: fresh.body.cancellationId }, data: { expiresAt: new Date(later.getTime() + 3_600_000) } });
    expect(await expirePendingApprovals(db, later)).toBeGreaterThanOrEqual(1);

    const [expired, stillPending] = await Promise.all([
      db.cancellation.findUniqueOrThrow({ where: { id: old.body.cancellationId }, include: { approval: true } }).then(numbered),
      db.cancellation.findUniqueOrThrow({ where: { id: fresh.body.cancellationId } }).then(numbered),
    ]);
    expect(expired.status).toBe("expired");
    expect(expired.approval?.decision).toBe("expired");
    expect(stillPending.status).toBe("pending_approval");
    const line = await db.orderLine.findFirstOrThrow({ where: { orderId } }).then(numbered);
    expect(line.pendingCancel).toBe(55);
    expect(await expirePendingApprovals(db, later)).toBe(0);
  });
});
