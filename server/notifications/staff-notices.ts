import { STAFF_EVENT_TYPES } from "@/server/events/notification-jobs";
import { ACTIVE_PERSON, type Actor, isActivePerson } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { isOwnRequest } from "@/server/domain/decision-rules";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { formatMoney } from "./format";

interface Notice {
  userId: string;
  kind: string;
  title: string;
  body: string;
  href: string;
}

/**
 * The notify_staff job: the notices one event gives. The requester hears of
 * decisions on their request, of its failure and of its withdrawal by someone else; the people who may decide a
 * new request (the store's managers, or system admins above the manager limit)
 * hear of it. (event, user) is unique, so running it again adds nothing.
 */
export async function recordStaffNotices(db: Db, eventId: string): Promise<number> {
  const event = await db.outboxEvent.findUnique({ where: { id: eventId } });
  if (!event) throw new Error(`outbox event ${eventId} does not exist`);
  const payload = event.payload as { cancellationId?: string; approvedBy?: string; rejectedBy?: string; withdrawnBy?: string; note?: string | null; reason?: string };
  if (!STAFF_EVENT_TYPES.has(event.type) || !payload.cancellationId) return 0;
  const c = await db.cancellation.findUnique({
    where: { id: payload.cancellationId },
    include: { order: { select: { externalId: true, storeId: true } }, requestedBy: { select: { id: true, name: true, isServiceUser: true, active: true } } },
  });
  if (!c) throw new Error(`cancellation ${payload.cancellationId} of event ${eventId} does not exist`);
  const amount = formatMoney(c.total, c.currency, "en-US");
  const order = c.order.externalId;
  const statusHref = `/orders/${c.orderId}/cancellations/${c.id}`;
  const nameOf = async (userId?: string) => (userId ? ((await db.user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? "someone") : "someone");

  const notices: Notice[] = [];
  const toRequester = (kind: string, title: string, body: string) => {
    if (isActivePerson(c.requestedBy)) notices.push({ userId: c.requestedBy.id, kind, title, body, href: statusHref });
  };
  switch (event.type) {
    case "CancellationApproved":
      toRequester("approved", "Your cancellation was approved", `Order ${order}: ${amount}, approved by ${await nameOf(payload.approvedBy)}.`);
      break;
    case "CancellationRejected":
      toRequester("rejected", "Your cancellation was rejected", `Order ${order}: ${amount}, rejected by ${await nameOf(payload.rejectedBy)}${payload.note ? `: “${payload.note}”` : "."}`);
      break;
    case "CancellationExpired":
      toRequester("expired", "Your cancellation request expired", `Order ${order}: ${amount}; nobody decided in time, the units are available again.`);
      break;
    case "CancellationWithdrawn":
      // The requester who withdrew it knows; one whose request a system admin withdrew is told.
      if (payload.withdrawnBy && payload.withdrawnBy !== c.requestedBy.id) {
        toRequester("withdrawn", "Your cancellation request was withdrawn", `Order ${order}: ${amount}, withdrawn by ${await nameOf(payload.withdrawnBy)}${payload.note ? `: “${payload.note}”.` : "."} The units are available again.`);
      }
      break;
    case "CancellationFailed":
      toRequester("failed", "Your cancellation failed", `Order ${order}: ${amount}; ${c.failureReason ?? payload.reason ?? "it failed"}. Nothing was cancelled.`);
      break;
    case "CancellationApprovalRequested": {
      const deciders = await db.user.findMany({
        where:
          c.approverRole === "system_admin"
            ? { role: "system_admin", ...ACTIVE_PERSON }
            : { role: "store_manager", ...ACTIVE_PERSON, stores: { some: { storeId: c.order.storeId } } },
        select: { id: true },
      });
      for (const d of deciders) {
        // Four eyes: the requester never decides their own request, so is not asked to.
        if (isOwnRequest(d.id, c)) continue;
        notices.push({
          userId: d.id,
          kind: "approval_requested",
          title: "A cancellation awaits your approval",
          body: `Order ${order} (${c.order.storeId}): ${amount}, requested by ${c.requestedBy.name} (${c.approvalReasons.join(", ")}).`,
          href: `/approvals/${c.id}`,
        });
      }
      break;
    }
  }
  if (!notices.length) return 0;
  const created = await db.staffNotice.createMany({ data: notices.map((n) => ({ ...n, eventId, cancellationId: c.id })), skipDuplicates: true });
  return created.count;
}

/** The signed-in person's newest notices and how many are unread. */
export async function listNotices({ db, actor }: { db: Db; actor: Actor }) {
  const [notices, unread] = await Promise.all([
    db.staffNotice.findMany({ where: { userId: actor.userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20 }),
    db.staffNotice.count({ where: { userId: actor.userId, readAt: null } }),
  ]);
  return {
    unread,
    notices: notices.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, href: n.href, createdAt: n.createdAt.toISOString(), read: n.readAt !== null })),
  };
}

/** Marks the named notices (or all) of the signed-in person read; others' notices are never touched. */
export async function markNoticesRead({ db, actor }: { db: Db; actor: Actor }, input: { ids?: string[]; all?: boolean }) {
  if (!input.all && !input.ids?.length) throw new AppError(ErrorCode.VALIDATION_FAILED, "Name the notices to mark read, or all.");
  const { count } = await db.staffNotice.updateMany({
    where: { userId: actor.userId, readAt: null, ...(input.all ? {} : { id: { in: input.ids } }) },
    data: { readAt: new Date() },
  });
  return { marked: count };
}
