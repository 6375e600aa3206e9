import type { Db } from "@/server/db/client";
import { enqueueSaga } from "./jobs";
import { recordManualTx } from "./steps/settle-payment";

export const PENDING_PAYMENT_TIMEOUT_MS = Number(process.env.PENDING_PAYMENT_TIMEOUT_MS ?? 24 * 3_600_000);

/**
 * A provider that accepted an operation but never confirmed it (a webhook
 * lost for good) would leave its cancellation processing forever. After the
 * timeout the operation goes to a person as a manual-refund task, as a failed
 * payment does (SPEC §6.4), and the saga finishes.
 */
export async function timeOutPendingPayments(db: Db, now = new Date(), timeoutMs = PENDING_PAYMENT_TIMEOUT_MS): Promise<number> {
  const stale = await db.cancellationAllocation.findMany({
    where: { status: "pending", providerReference: { not: null }, updatedAt: { lt: new Date(now.getTime() - timeoutMs) }, cancellation: { status: "processing" } },
    select: { id: true, providerReference: true, cancellation: { select: { id: true, orderId: true } } },
  });
  for (const a of stale) {
    await db.$transaction(async (tx) => {
      await recordManualTx(tx, a.cancellation.id, a.id, `no confirmation from the provider for ${a.providerReference} within ${Math.round(timeoutMs / 60_000)} minutes`);
      await enqueueSaga(tx, a.cancellation.id, a.cancellation.orderId);
    });
  }
  return stale.length;
}
