import { type Actor, hasPermission } from "@/server/auth/permissions";
import { getCancellation } from "@/server/cancellations/get-cancellation";
import type { Db } from "@/server/db/client";
import { maskRecipient } from "./format";

/** The customer messages of a cancellation, for its status page; the text only with read_order_pii. */
export async function listCustomerMessages(ctx: { db: Db; actor: Actor }, orderId: string, cancellationId: string) {
  await getCancellation(ctx, orderId, cancellationId); // 404 unless the actor may see it
  const pii = hasPermission(ctx.actor, "read_order_pii");
  const rows = await ctx.db.customerNotification.findMany({ where: { cancellationId }, orderBy: { createdAt: "asc" } });
  return rows.map((m) => ({
    id: m.id,
    template: m.template,
    event: m.eventType,
    to: pii ? m.recipient : maskRecipient(m.recipient),
    subject: m.subject,
    text: pii ? m.textBody : null,
    status: m.status,
    attempts: m.attempts,
    error: m.lastError,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
  }));
}
