import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { withdrawCancellation } from "@/server/cancellations/withdraw-cancellation";
import { getDb } from "@/server/db/client";
import { actorFor, importForTest, simpleOrder } from "@/test/saga-harness";
import { unique } from "@/test/factories";
import { writeEvent } from "@/server/events/outbox";
import { NOTHING_STOPPED_REASON } from "@/server/saga/run-saga";
import { listNotices, markNoticesRead, recordStaffNotices } from "./staff-notices";

const db = getDb();

async function pendingRequest(storeId: string) {
  const agent = await actorFor("customer_service_agent", [storeId]);
  const { orderId } = await importForTest({ ...simpleOrder(60), storeId }, agent);
  const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [60], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  expect(answer.body.status).toBe("pending_approval");
  return { agent, orderId, cancellationId: answer.body.cancellationId };
}
const eventOf = (orderId: string, type: string) => db.outboxEvent.findFirstOrThrow({ where: { orderId, type } });
const jobsFor = async (eventId: string) => Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'notify_staff' AND key = ${`notices:${eventId}`}`)[0]!.n);

describe("in-app notices from the outbox events (SPEC §10)", () => {
  it("a new request needing approval tells the managers of its store, once, and nobody else", async () => {
    const store = unique("STORE-N");
    const [m1, m2, other] = [await actorFor("store_manager", [store]), await actorFor("store_manager", [store]), await actorFor("store_manager", [unique("STORE-X")])];
    const { agent, orderId, cancellationId } = await pendingRequest(store);
    const event = await eventOf(orderId, "CancellationApprovalRequested");
    expect(await jobsFor(event.id)).toBe(1); // enqueued in the submit's transaction
    expect(await recordStaffNotices(db, event.id)).toBe(2);
    expect(await recordStaffNotices(db, event.id)).toBe(0); // a redelivered event adds nothing
    const notices = await db.staffNotice.findMany({ where: { eventId: event.id } });
    expect(notices.map((n) => n.userId).sort()).toEqual([m1.userId, m2.userId].sort());
    expect(notices[0]).toMatchObject({ kind: "approval_requested", title: "A cancellation awaits your approval", href: `/approvals/${cancellationId}`, body: `Order ${(await db.order.findUniqueOrThrow({ where: { id: orderId } })).externalId} (${store}): $600.00, requested by Test User (limit).` });
    expect((await listNotices({ db, actor: other })).notices.filter((n) => n.href.includes(cancellationId))).toEqual([]);
    expect((await listNotices({ db, actor: agent })).unread).toBe(0);
  });

  it("the requester hears of the rejection, with the note; read and unread are theirs alone", async () => {
    const store = unique("STORE-N");
    const manager = await actorFor("store_manager", [store]);
    const { agent, orderId, cancellationId } = await pendingRequest(store);
    await decideApproval({ db, actor: manager }, cancellationId, "rejected", { note: "Already packed" });
    const event = await eventOf(orderId, "CancellationRejected");
    expect(await recordStaffNotices(db, event.id)).toBe(1);
    const mine = await listNotices({ db, actor: agent });
    expect(mine.unread).toBe(1);
    expect(mine.notices[0]).toMatchObject({ kind: "rejected", title: "Your cancellation was rejected", read: false, href: `/orders/${orderId}/cancellations/${cancellationId}` });
    expect(mine.notices[0]!.body).toMatch(/: \$600\.00, rejected by Test User: “Already packed”$/);
    // Someone else cannot mark it read.
    expect(await markNoticesRead({ db, actor: manager }, { ids: [mine.notices[0]!.id] })).toEqual({ marked: 0 });
    expect(await markNoticesRead({ db, actor: agent }, { ids: [mine.notices[0]!.id] })).toEqual({ marked: 1 });
    expect(await listNotices({ db, actor: agent })).toMatchObject({ unread: 0, notices: [expect.objectContaining({ read: true })] });
  });

  it("a failure is told in words: the cancellation's reason, not the event's code", async () => {
    const { agent, orderId, cancellationId } = await pendingRequest(unique("STORE-N"));
    // As the saga ends a cancellation the warehouse stopped nothing of (run-saga.ts failNothingStopped).
    await db.$transaction(async (tx) => {
      await tx.cancellation.update({ where: { id: cancellationId }, data: { status: "failed", failureReason: NOTHING_STOPPED_REASON } });
      await writeEvent(tx, "CancellationFailed", { orderId, correlationId: randomUUID(), payload: { cancellationId, reason: "warehouse_refused" } });
    });
    expect(await recordStaffNotices(db, (await eventOf(orderId, "CancellationFailed")).id)).toBe(1);
    const [notice] = (await listNotices({ db, actor: agent })).notices;
    expect(notice).toMatchObject({ kind: "failed", title: "Your cancellation failed" });
    expect(notice!.body).toContain(`${NOTHING_STOPPED_REASON}. Nothing was cancelled.`);
    expect(notice!.body).not.toContain("warehouse_refused");
  });

  it("the requester hears of the approval", async () => {
    const store = unique("STORE-N");
    const manager = await actorFor("store_manager", [store]);
    const { agent, orderId, cancellationId } = await pendingRequest(store);
    await decideApproval({ db, actor: manager }, cancellationId, "approved", {});
    await recordStaffNotices(db, (await eventOf(orderId, "CancellationApproved")).id);
    expect((await listNotices({ db, actor: agent })).notices).toEqual([expect.objectContaining({ kind: "approved", title: "Your cancellation was approved" })]);
    expect(await markNoticesRead({ db, actor: agent }, { all: true })).toEqual({ marked: 1 });
  });

  it("a request a system admin withdraws is told to its requester; one the requester withdrew tells nobody", async () => {
    const store = unique("STORE-N");
    const admin = await actorFor("system_admin");
    const byAdmin = await pendingRequest(store);
    await withdrawCancellation({ db, actor: admin }, byAdmin.cancellationId, { note: "duplicate of another request" });
    const event = await eventOf(byAdmin.orderId, "CancellationWithdrawn");
    expect(await jobsFor(event.id)).toBe(1);
    expect(await recordStaffNotices(db, event.id)).toBe(1);
    const notices = (await listNotices({ db, actor: byAdmin.agent })).notices;
    expect(notices).toEqual([expect.objectContaining({ kind: "withdrawn", title: "Your cancellation request was withdrawn", href: `/orders/${byAdmin.orderId}/cancellations/${byAdmin.cancellationId}` })]);
    expect(notices[0]!.body).toMatch(/: \$600\.00, withdrawn by Test User: “duplicate of another request”\. The units are available again\.$/);

    const bySelf = await pendingRequest(store);
    await withdrawCancellation({ db, actor: bySelf.agent }, bySelf.cancellationId, {});
    expect(await recordStaffNotices(db, (await eventOf(bySelf.orderId, "CancellationWithdrawn")).id)).toBe(0);
    expect((await listNotices({ db, actor: bySelf.agent })).notices.filter((n) => n.kind === "withdrawn")).toEqual([]);
  });

  it("marking nothing read is a 400-class error, not a silent no-op", async () => {
    await expect(markNoticesRead({ db, actor: await actorFor() }, {})).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });
});
