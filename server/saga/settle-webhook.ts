import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/generated/prisma/client";
import type { PaymentWebhookEvent } from "@/server/payments/webhooks";
import { enqueueSaga } from "@/server/jobs/queue";
import { recordLateConfirmation, recordManualTx, recordSuccess } from "./steps/settle-payment";

/**
 * `settled`: this event settled an operation (or closed the task it had become). `replayed`: this
 * event was processed before. `already_settled`: the operation was settled another way (the call's
 * own answer came first). `unknown`: authentic, but names nothing we track. All of them answer 2xx.
 */
export type SettleOutcome = "settled" | "replayed" | "already_settled" | "unknown";

const OPEN_STATUSES = ["calling", "unknown", "accepted", "absent"] as const;

/**
 * The allocation a notification is about. By our idempotency key first (it
 * travels with the operation, so it finds one whose call timed out or has not
 * returned yet), then by the provider's reference of the operation, then, for
 * a reversal the provider names only by the payment (a Stripe cancel, a PayPal
 * void), by the tender's payment.
 */
async function findAllocation(tx: Prisma.TransactionClient, event: PaymentWebhookEvent): Promise<{ id: string; cancellationId: string } | null> {
  const select = { allocationId: true, cancellationId: true } as const;
  const byKey = event.idempotencyKey
    ? await tx.providerOperation.findFirst({ where: { idempotencyKey: event.idempotencyKey, provider: event.provider, operation: event.operation }, select })
    : null;
  const byReference =
    byKey ??
    (await tx.providerOperation.findFirst({ where: { provider: event.provider, providerReference: event.providerReference, operation: event.operation }, orderBy: { createdAt: "desc" }, select }));
  const payment = event.paymentReference ?? event.providerReference;
  const byPayment =
    byReference ??
    (event.operation === "reversal"
      ? await tx.providerOperation.findFirst({
          where: { provider: event.provider, operation: "reversal", status: { in: [...OPEN_STATUSES] }, tender: { providerReference: payment } },
          orderBy: { createdAt: "desc" },
          select,
        })
      : null);
  if (byPayment) return { id: byPayment.allocationId, cancellationId: byPayment.cancellationId };
  // Sent before intents were recorded: the reference the call returned.
  const legacy = await tx.cancellationAllocation.findFirst({
    where: { providerReference: event.providerReference, operation: event.operation, providerOperation: null, tender: { provider: event.provider } },
    select: { id: true, cancellationId: true },
  });
  return legacy;
}

/**
 * A verified provider notification settles the operation it names, exactly
 * once: the event id is stored in the same transaction, so a replay changes
 * nothing. It may arrive before the call that started the operation returns
 * (the intent is committed first, so it is found), or after the operation went
 * to a person (the task is closed). The saga is then resumed.
 */
export async function settleFromWebhook(db: Db, event: PaymentWebhookEvent): Promise<SettleOutcome> {
  try {
    return await db.$transaction(async (tx) => {
      await tx.webhookEvent.create({ data: { provider: event.provider, eventId: event.eventId } });
      const found = await findAllocation(tx, event);
      if (!found) return "unknown";
      const allocation = await tx.cancellationAllocation.findUniqueOrThrow({ where: { id: found.id }, include: { cancellation: { select: { orderId: true } } } });
      const cancellationId = found.cancellationId;
      if (allocation.status === "manual_required" && event.success) {
        return (await recordLateConfirmation(tx, cancellationId, allocation.id, event.provider, event.providerReference)) === "closed" ? "settled" : "already_settled";
      }
      if (allocation.status !== "pending") return "already_settled";
      // A PayPal reauthorization's id replaces the tender's authorization, as in the saga.
      const replaces = event.provider === "paypal" && event.operation === "reversal";
      if (event.success) await recordSuccess(tx, cancellationId, allocation.id, async () => event.providerReference, replaces);
      else await recordManualTx(tx, cancellationId, allocation.id, `${event.provider} reported the ${event.operation} ${event.providerReference} as failed`, { origin: "declined", operationStatus: "declined" });
      await enqueueSaga(tx, cancellationId, allocation.cancellation.orderId);
      return "settled";
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return "replayed";
    throw error;
  }
}
