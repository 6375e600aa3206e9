import type { Db } from "@/server/db/client";
import { addTimeline } from "@/server/cancellations/timeline";
import { Prisma } from "@/server/generated/prisma/client";
import type { PaymentWebhookEvent } from "@/server/payments/webhooks";
import { enqueueSaga } from "./jobs";
import { recordManualTx, recordSuccess } from "./steps/settle-payment";

export type SettleOutcome = "settled" | "replayed" | "unknown" | "not_ready";

class NotReady extends Error {}

/**
 * A verified provider notification settles the pending operation it names,
 * exactly once: the event id is stored in the same transaction, so a replay
 * changes nothing. The saga is then resumed.
 */
export async function settleFromWebhook(db: Db, event: PaymentWebhookEvent): Promise<SettleOutcome> {
  try {
    return await db.$transaction(async (tx) => {
      await tx.webhookEvent.create({ data: { provider: event.provider, eventId: event.eventId } });
      const allocation = await tx.cancellationAllocation.findFirst({
        where: { providerReference: event.providerReference, status: "pending", operation: event.operation, tender: { provider: event.provider } },
        include: { cancellation: { select: { id: true, orderId: true } } },
      });
      if (!allocation) {
        if (event.success && (await settleLateConfirmation(tx, event))) return "settled";
        // The notification can beat the saga recording the provider's answer: when the payment
        // has an operation in flight, roll back and let the provider deliver again.
        const inFlight = event.paymentReference
          ? await tx.cancellationAllocation.count({ where: { status: "pending", providerReference: null, tender: { provider: event.provider, providerReference: event.paymentReference } } })
          : 0;
        if (inFlight) throw new NotReady();
        return "unknown";
      }
      const { id: cancellationId, orderId } = allocation.cancellation;
      // A PayPal reauthorization's id replaces the tender's authorization, as in the saga.
      const replaces = event.provider === "paypal" && event.operation === "reversal";
      if (event.success) await recordSuccess(tx, cancellationId, allocation.id, async () => event.providerReference, replaces);
      else await recordManualTx(tx, cancellationId, allocation.id, `${event.provider} reported the ${event.operation} as failed`);
      await enqueueSaga(tx, cancellationId, orderId);
      return "settled";
    });
  } catch (error) {
    if (error instanceof NotReady) return "not_ready";
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return "replayed";
    throw error;
  }
}

/**
 * The provider confirmed an operation after it timed out and went to a person
 * as a manual-refund task: the money has moved, so the task is closed before
 * anyone refunds a second time.
 */
async function settleLateConfirmation(tx: Prisma.TransactionClient, event: PaymentWebhookEvent): Promise<boolean> {
  const handedOver = await tx.cancellationAllocation.findFirst({
    where: { providerReference: event.providerReference, status: "manual_required", operation: event.operation, tender: { provider: event.provider } },
  });
  if (!handedOver) return false;
  await tx.cancellationAllocation.update({ where: { id: handedOver.id }, data: { status: "succeeded" } });
  await tx.manualRefundTask.updateMany({
    where: { cancellationId: handedOver.cancellationId, tenderId: handedOver.tenderId, amount: handedOver.amount, status: "open" },
    data: { status: "done", reference: `confirmed by ${event.provider}: ${event.providerReference}`, completedAt: new Date() },
  });
  await addTimeline(tx, handedOver.cancellationId, "payment", "succeeded", `${event.provider} confirmed ${event.providerReference} late; the manual-refund task was closed`);
  return true;
}
