import type { Prisma } from "@/server/generated/prisma/client";
import { enqueueJob, FOLLOW_UP_PRIORITY, TASKS } from "@/server/jobs/queue";

export const NOTIFY_JOB_MAX_ATTEMPTS = 10;

/**
 * The events that tell the customer something (SPEC §10) and the email template each is told with
 * (server/notifications/ renders and sends them), and the events that give staff an in-app notice.
 * Here, beside the outbox that enqueues their jobs, so that the event module needs nothing of the
 * notifications module, which builds on it.
 */
export const CUSTOMER_EVENT_TEMPLATES = {
  CancellationCompleted: "cancellation_completed",
  CancellationFailed: "cancellation_failed",
  CancellationRejected: "cancellation_rejected",
  CancellationExpired: "cancellation_expired",
  CancellationWithdrawn: "cancellation_withdrawn",
} as const satisfies Record<string, string>;

export const STAFF_EVENT_TYPES: ReadonlySet<string> = new Set(["CancellationApproved", "CancellationRejected", "CancellationExpired", "CancellationFailed", "CancellationWithdrawn", "CancellationApprovalRequested"]);

/**
 * Called by writeEvent in the transaction that writes the event: an event that
 * tells the customer something gets its notify_customer job with it (one that
 * tells staff, its notify_staff job), so the
 * event is never stored without its message being handled, or the other way
 * round. The job is keyed by the event; the message row is keyed by event and
 * recipient, so handling the event again sends nothing twice.
 */
export async function enqueueNotificationJobs(tx: Prisma.TransactionClient, event: { eventId: string; type: string; payload: Record<string, unknown> }) {
  const cancellationId = String(event.payload.cancellationId ?? "");
  if (Object.hasOwn(CUSTOMER_EVENT_TEMPLATES, event.type)) await enqueueCustomerNotification(tx, event.eventId, cancellationId);
  if (STAFF_EVENT_TYPES.has(event.type)) await enqueueJob(tx, TASKS.notifyStaff, { eventId: event.eventId, cancellationId }, { jobKey: `notices:${event.eventId}`, maxAttempts: NOTIFY_JOB_MAX_ATTEMPTS, priority: FOLLOW_UP_PRIORITY });
}

export async function enqueueCustomerNotification(tx: Prisma.TransactionClient, eventId: string, cancellationId: string, runAt?: Date) {
  await enqueueJob(tx, TASKS.notify, { eventId, cancellationId }, { jobKey: `notify:${eventId}`, runAt, maxAttempts: NOTIFY_JOB_MAX_ATTEMPTS, priority: FOLLOW_UP_PRIORITY });
}
