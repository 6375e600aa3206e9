import type { Prisma } from "@/server/generated/prisma/client";
import { enqueueJob, TASKS } from "@/server/saga/jobs";
import { CUSTOMER_EVENT_TEMPLATES } from "./customer-message";

export const NOTIFY_JOB_MAX_ATTEMPTS = 10;

/**
 * Called by writeEvent in the transaction that writes the event: an event that
 * tells the customer something gets its notify_customer job with it, so the
 * event is never stored without its message being handled, or the other way
 * round. The job is keyed by the event; the message row is keyed by event and
 * recipient, so handling the event again sends nothing twice.
 */
export async function enqueueNotificationJobs(tx: Prisma.TransactionClient, event: { eventId: string; type: string; payload: Record<string, unknown> }) {
  if (!CUSTOMER_EVENT_TEMPLATES[event.type]) return;
  await enqueueCustomerNotification(tx, event.eventId, String(event.payload.cancellationId ?? ""));
}

export async function enqueueCustomerNotification(tx: Prisma.TransactionClient, eventId: string, cancellationId: string, runAt?: Date) {
  await enqueueJob(tx, TASKS.notify, { eventId, cancellationId }, { jobKey: `notify:${eventId}`, runAt, maxAttempts: NOTIFY_JOB_MAX_ATTEMPTS });
}
