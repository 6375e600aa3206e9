import type { Prisma } from "@/server/generated/prisma/client";
import { enqueueJob, TASKS } from "@/server/saga/jobs";
import { CUSTOMER_EVENT_TEMPLATES } from "./customer-message";
import { STAFF_EVENT_TYPES } from "./staff-notices";

export const NOTIFY_JOB_MAX_ATTEMPTS = 10;

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
  if (CUSTOMER_EVENT_TEMPLATES[event.type]) await enqueueCustomerNotification(tx, event.eventId, cancellationId);
  if (STAFF_EVENT_TYPES.has(event.type)) await enqueueJob(tx, TASKS.notifyStaff, { eventId: event.eventId, cancellationId }, { jobKey: `notices:${event.eventId}`, maxAttempts: NOTIFY_JOB_MAX_ATTEMPTS });
}

export async function enqueueCustomerNotification(tx: Prisma.TransactionClient, eventId: string, cancellationId: string, runAt?: Date) {
  await enqueueJob(tx, TASKS.notify, { eventId, cancellationId }, { jobKey: `notify:${eventId}`, runAt, maxAttempts: NOTIFY_JOB_MAX_ATTEMPTS });
}
