import { getConfig } from "@/server/config";
import type { Db } from "@/server/db/client";
import { enqueueSaga } from "@/server/jobs/queue";
import { recordManualTx } from "./steps/settle-payment";


/**
 * A provider that accepted an operation but never confirmed it (a webhook
 * lost for good) would leave its cancellation processing forever. The saga
 * itself asks the provider at the horizon (call-provider.ts); this is the
 * backstop for one that never woke: after the timeout the operation goes to a
 * person, marked "verify at the provider first" (its outcome is unknown), and
 * a confirmation that still comes closes the task.
 */
export async function timeOutPendingPayments(db: Db, now = new Date(), timeoutMs = getConfig().saga.pendingPaymentTimeoutMs): Promise<number> {
  const stale = await db.cancellationAllocation.findMany({
    where: {
      status: "pending",
      OR: [{ providerReference: { not: null } }, { providerOperation: { status: { in: ["calling", "unknown", "accepted"] } } }],
      updatedAt: { lt: new Date(now.getTime() - timeoutMs) },
      cancellation: { status: "processing" },
    },
    select: { id: true, providerReference: true, providerOperation: { select: { idempotencyKey: true } }, cancellation: { select: { id: true, orderId: true } } },
  });
  for (const a of stale) {
    await db.$transaction(async (tx) => {
      await recordManualTx(tx, a.cancellation.id, a.id, `no confirmation from the provider for ${a.providerReference ?? a.providerOperation?.idempotencyKey} within ${Math.round(timeoutMs / 60_000)} minutes`, {
        origin: "unverified_unknown",
        operationStatus: "unknown",
      });
      await enqueueSaga(tx, a.cancellation.id, a.cancellation.orderId);
    });
  }
  return stale.length;
}
