import type { Db } from "@/server/db/client";
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
        // The notification can beat the saga recording the provider's answer: when the payment
        // has an operation in flight, roll back and let the provider deliver again.
        const inFlight = event.paymentReference
          ? await tx.cancellationAllocation.count({ where: { status: "pending", providerReference: null, tender: { provider: event.provider, providerReference: event.paymentReference } } })
          : 0;
        if (inFlight) throw new NotReady();
        return "unknown";
      }
      const { id: cancellationId, orderId } = allocation.cancellation;
      if (event.success) await recordSuccess(tx, cancellationId, allocation.id, async () => event.providerReference);
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
