import { creditLedger, storeCreditReference } from "@/server/ledger/internal-ledger";
import type { Prisma } from "@/server/generated/prisma/client";
import type { SagaCancellation, SagaContext } from "../saga-context";
import { DONE, type OpenedIntent, settleWithProvider, type SettleStep } from "./call-provider";
import { paymentIdempotencyKey, recordManualTx, recordSuccess, type Allocation } from "./settle-payment";

/**
 * Step 2, one allocation. The ledger and manual parts are recorded in one
 * transaction; a provider operation goes through its intent row
 * (call-provider.ts), so its outcome is never lost or doubled; `intent` when that row was
 * committed with the order adjustment.
 */
export async function settleAllocation(ctx: SagaContext, c: SagaCancellation, a: Allocation, intent?: OpenedIntent): Promise<SettleStep> {
  if (a.status !== "pending") return DONE;
  const tender = a.tender!;
  const key = paymentIdempotencyKey(c.id, a);

  if (a.operation === "manual") {
    await ctx.db.$transaction((tx) => recordManualTx(tx, c.id, a.id, "Refund method is manual", { origin: "refund_method" }));
    return DONE;
  }
  if (a.operation === "store_credit") {
    await recordInTransaction(ctx, c.id, a.id, async (tx) =>
      creditLedger(tx, { kind: "store_credit", reference: storeCreditReference(c.order.customerId, c.currency), customerId: c.order.customerId, currency: c.currency, amount: a.amount, idempotencyKey: key, cancellationId: c.id, memo: `Store credit for cancellation ${c.id}` }),
    );
    return DONE;
  }
  if (tender.provider === "internal") {
    // Gift cards and store credit paid with: the ledger, in the step's own transaction.
    await recordInTransaction(ctx, c.id, a.id, async (tx) =>
      a.operation === "refund"
        ? creditLedger(tx, { kind: tender.method === "gift_card" ? "gift_card" : "store_credit", reference: tender.providerReference, customerId: c.order.customerId, currency: c.currency, amount: a.amount, idempotencyKey: key, cancellationId: c.id, memo: `Refund for cancellation ${c.id}` })
        : `released:${key}`,
    );
    return DONE;
  }
  return settleWithProvider(ctx, c, a, key, intent);
}

/** The allocations settleAllocation settles through a payment provider (an intent, then the call). */
export function goesToProvider(a: Allocation): boolean {
  return a.operation !== "manual" && a.operation !== "store_credit" && a.tender !== null && a.tender.provider !== "internal";
}

async function recordInTransaction(
  ctx: Pick<SagaContext, "db">,
  cancellationId: string,
  allocationId: string,
  operate: (tx: Prisma.TransactionClient) => Promise<string>,
): Promise<void> {
  await ctx.db.$transaction((tx) => recordSuccess(tx, cancellationId, allocationId, operate));
}
