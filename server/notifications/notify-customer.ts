import { addTimeline } from "@/server/cancellations/timeline";
import type { CustomerNotification } from "@/server/generated/prisma/client";
import { backoffDelay } from "@/server/jobs/retry";
import { CUSTOMER_EVENT_TEMPLATES, loadMessageCancellation, toCustomerMessage } from "./customer-message";
import { enqueueCustomerNotification } from "@/server/events/notification-jobs";
import { maskRecipient } from "./format";
import { classifySmtpError, type SendFailure } from "./mailer";
import type { Notifier } from "./notifier";
import { renderCustomerEmail } from "./templates/customer-email";

export type NotificationOutcome = "sent" | "failed" | "retrying" | "skipped" | "not_for_customers";

/** A claim older than this belonged to an attempt that died (the SMTP client times out well before). */
const SENDING_STALE_MS = 2 * 60_000;
const EMAIL_OFF = "notifications are off (SMTP_URL is not set)";
const NOT_WANTED = "the requester chose not to email the customer";

/**
 * The notify_customer job: the message for one outbox event, stored once per
 * event and recipient and then delivered. Safe to run any number of times for
 * the same event: a message already sent, refused or skipped is left alone.
 */
export async function notifyCustomer(n: Notifier, eventId: string): Promise<NotificationOutcome> {
  const event = await n.db.outboxEvent.findUnique({ where: { id: eventId } });
  if (!event) throw new Error(`outbox event ${eventId} does not exist`);
  const template = CUSTOMER_EVENT_TEMPLATES[event.type];
  const cancellationId = (event.payload as { cancellationId?: string }).cancellationId;
  if (!template || !cancellationId) return "not_for_customers";
  const loaded = await loadMessageCancellation(n.db, cancellationId, eventId);
  if (!loaded) throw new Error(`cancellation ${cancellationId} of event ${eventId} does not exist`);
  const { c, storedId } = loaded;
  if (storedId) return deliverNotification(n, storedId);
  const recipient = c.order.customerEmail;
  const message = toCustomerMessage(template, c, n.config.supportEmail);
  const email = await renderCustomerEmail(message);
  const skip = !c.notifyCustomer ? NOT_WANTED : !n.mailer ? EMAIL_OFF : null;
  // A message to send is stored already claimed for this attempt ("sending", its first attempt
  // counted), so the common case takes one statement rather than a store and then a claim.
  const row = {
    eventId,
    eventType: event.type,
    cancellationId,
    orderId: c.orderId,
    recipient,
    template,
    locale: message.locale,
    subject: email.subject,
    textBody: email.text,
    htmlBody: email.html,
    status: skip ? ("skipped" as const) : ("sending" as const),
    attempts: skip ? 0 : 1,
    lastError: skip,
  };
  if (skip) {
    await n.db.$transaction(async (tx) => {
      const created = await tx.customerNotification.createMany({ data: [row], skipDuplicates: true });
      if (created.count) await addTimeline(tx, cancellationId, "notification", "skipped", { kind: "notification", result: "skipped", to: null, reason: skip });
    });
    return "skipped";
  }
  const [created] = await n.db.customerNotification.createManyAndReturn({ data: [row], skipDuplicates: true });
  if (created) return sendClaimed(n, created);
  // Another attempt stored it first: its claim decides (deliverNotification).
  const raced = await n.db.customerNotification.findUniqueOrThrow({ where: { eventId_recipient: { eventId, recipient } }, select: { id: true } });
  return deliverNotification(n, raced.id);
}

async function deliverNotification(n: Notifier, id: string): Promise<NotificationOutcome> {
  const claimed = await n.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM customer_notifications WHERE id = ${id}::uuid FOR UPDATE`;
    const m = await tx.customerNotification.findUniqueOrThrow({ where: { id } });
    if (m.status === "sent" || m.status === "failed" || m.status === "skipped") return { done: m.status } as const;
    if (m.status === "sending" && Date.now() - m.updatedAt.getTime() < SENDING_STALE_MS) {
      // Another attempt holds the message; this job fails and is retried, and meets
      // either the finished message or, if that attempt died, a stale claim.
      throw new Error(`notification ${id} is being sent by another attempt`);
    }
    if (!n.mailer) {
      await tx.customerNotification.update({ where: { id }, data: { status: "skipped", lastError: EMAIL_OFF } });
      return { done: "skipped" } as const;
    }
    return { message: await tx.customerNotification.update({ where: { id }, data: { status: "sending", attempts: { increment: 1 } } }) } as const;
  });
  if ("done" in claimed) return claimed.done as NotificationOutcome;
  return sendClaimed(n, claimed.message);
}

/** Sends a message this attempt has claimed ("sending", this attempt counted) and records the outcome. */
async function sendClaimed(n: Notifier, m: CustomerNotification): Promise<NotificationOutcome> {
  const { id } = m;
  const to = maskRecipient(m.recipient);

  let failure: SendFailure;
  try {
    const info = await n.mailer!.send({ to: m.recipient, subject: m.subject, text: m.textBody, html: m.htmlBody, messageId: `<${m.id}@notifications.invalid>` });
    await n.db.$transaction(async (tx) => {
      await tx.customerNotification.update({ where: { id }, data: { status: "sent", sentAt: new Date(), providerMessageId: info.messageId, providerResponse: info.response.slice(0, 500), lastError: null, nextAttemptAt: null } });
      if (m.cancellationId) await addTimeline(tx, m.cancellationId, "notification", "sent", { kind: "notification", result: "sent", to, reason: null });
    });
    return "sent";
  } catch (error) {
    failure = classifySmtpError(error);
  }

  const retry = failure.kind === "transient" && m.attempts < n.config.retry.attempts;
  const nextAttemptAt = retry ? new Date(Date.now() + Math.max(1, backoffDelay(m.attempts, n.config.retry))) : null;
  await n.db.$transaction(async (tx) => {
    await tx.customerNotification.update({ where: { id }, data: { status: retry ? "retrying" : "failed", lastError: failure.reason, nextAttemptAt } });
    if (retry) await enqueueCustomerNotification(tx, m.eventId, m.cancellationId ?? "", nextAttemptAt!);
    if (!m.cancellationId) return;
    if (retry && m.attempts === 1) await addTimeline(tx, m.cancellationId, "notification", "retry_scheduled", { kind: "notification", result: "retry", to, reason: failure.reason });
    if (!retry) {
      const why = failure.kind === "transient" ? `gave up after ${m.attempts} attempts: ${failure.reason}` : failure.reason;
      await addTimeline(tx, m.cancellationId, "notification", "failed", { kind: "notification", result: "failed", to, reason: why });
    }
  });
  n.log(`notification ${id} ${retry ? `not sent yet, retrying at ${nextAttemptAt!.toISOString()}` : "failed"}: ${failure.reason}`);
  return retry ? "retrying" : "failed";
}
