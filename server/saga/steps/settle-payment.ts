import { addTimeline } from "@/server/cancellations/timeline";
import { fromDbBigint } from "@/server/db/numbers";
import { formatAmount } from "@/server/domain/money";
import { writeEvent } from "@/server/events/outbox";
import type { Prisma } from "@/server/generated/prisma/client";
import { creditLedger, storeCreditReference } from "@/server/ledger/internal-ledger";
import type { PaymentResult, PaymentTender } from "@/server/payments/port";
import { portFor } from "@/server/payments/registry";
import { lockCancellation, type SagaCancellation, type SagaContext } from "../saga-context";

type Allocation = SagaCancellation["allocations"][number];
type TenderRow = NonNullable<Allocation["tender"]>;

/** Derived from the cancellation, the tender and the step: a retry can never move money twice. */
export function paymentIdempotencyKey(cancellationId: string, a: { position: number; operation: string; tender: { tenderId: string } | null }) {
  return `pc:${cancellationId}:${a.tender?.tenderId ?? "none"}:${a.operation}:${a.position}`;
}

/**
 * The tender as the provider sees it: operations sent but not yet confirmed
 * (Adyen, or a pending PayPal reauthorization) count as done, or the next
 * operation's parameters (e.g. Adyen's new authorised total) would undo them.
 * The sum is the same before and after such an operation settles, so a retry
 * sends the same parameters under the same idempotency key.
 */
async function toPaymentTender(ctx: SagaContext, t: TenderRow, currency: string, allocationId: string): Promise<PaymentTender> {
  const inFlight = await ctx.db.cancellationAllocation.groupBy({
    by: ["operation"],
    where: { tenderId: t.id, status: "pending", providerReference: { not: null }, id: { not: allocationId } },
    _sum: { amount: true },
  });
  const sent = (op: "reversal" | "refund") => fromDbBigint(inFlight.find((g) => g.operation === op)?._sum.amount ?? 0n, `${op}s in flight`);
  return {
    tenderId: t.tenderId,
    method: t.method,
    provider: t.provider,
    providerReference: t.providerReference,
    currency,
    authorized: t.authorized,
    captured: t.captured,
    reversed: t.reversed + sent("reversal"),
    refunded: t.refunded + sent("refund"),
  };
}

/**
 * Step 2, one allocation: the provider call (outside any transaction), then
 * its result recorded in one transaction with the timeline and the event.
 * Returns "waiting" while a provider still has to confirm by webhook.
 */
export async function settleAllocation(ctx: SagaContext, c: SagaCancellation, a: Allocation): Promise<"done" | "waiting"> {
  if (a.status !== "pending") return "done";
  if (a.providerReference) return "waiting"; // called already; the webhook settles it
  const tender = a.tender!;
  const key = paymentIdempotencyKey(c.id, a);

  if (a.operation === "manual") {
    await recordManual(ctx, c.id, a.id, "Refund method is manual");
    return "done";
  }
  if (a.operation === "store_credit") {
    await recordInTransaction(ctx, c.id, a.id, async (tx) =>
      creditLedger(tx, { kind: "store_credit", reference: storeCreditReference(c.order.customerId, c.currency), customerId: c.order.customerId, currency: c.currency, amount: a.amount, idempotencyKey: key, cancellationId: c.id, memo: `Store credit for cancellation ${c.id}` }),
    );
    return "done";
  }
  if (tender.provider === "internal") {
    // Gift cards and store credit paid with: the ledger, in the step's own transaction.
    await recordInTransaction(ctx, c.id, a.id, async (tx) =>
      a.operation === "refund"
        ? creditLedger(tx, { kind: tender.method === "gift_card" ? "gift_card" : "store_credit", reference: tender.providerReference, customerId: c.order.customerId, currency: c.currency, amount: a.amount, idempotencyKey: key, cancellationId: c.id, memo: `Refund for cancellation ${c.id}` })
        : `released:${key}`,
    );
    return "done";
  }

  let result: PaymentResult;
  try {
    ctx.inject.maybeFail("payment");
    const port = portFor(ctx.payments, tender.provider);
    const pt = await toPaymentTender(ctx, tender, c.currency, a.id);
    result = a.operation === "reversal" ? await port.reverse(pt, a.amount, key) : await port.refund(pt, a.amount, key);
  } catch (error) {
    result = { status: "failed", kind: "transient", code: "exception", message: (error as Error).message };
  }
  ctx.inject.afterProviderCall();

  if (result.status === "succeeded") {
    await recordInTransaction(ctx, c.id, a.id, async () => result.providerReference, tender.provider === "paypal" && a.operation === "reversal");
    return "done";
  }
  if (result.status === "pending") {
    await ctx.db.$transaction(async (tx) => {
      await lockCancellation(tx, c.id);
      await tx.cancellationAllocation.update({ where: { id: a.id }, data: { providerReference: result.providerReference, attempts: { increment: 1 } } });
      await addTimeline(tx, c.id, "payment", "pending", `${describe(a, c.currency)}: ${tender.provider} accepted it and will confirm (${result.providerReference})`);
    });
    return "waiting";
  }
  // SPEC §6.4: payment fails after its retries → a manual-refund task; the order adjustment stays.
  await recordManual(ctx, c.id, a.id, `${tender.provider} ${result.kind} failure: ${result.code} ${result.message}`);
  return "done";
}

function describe(a: Allocation, currency: string) {
  const verb = { reversal: "Reverse", refund: "Refund", store_credit: "Store credit", manual: "Manual refund" }[a.operation];
  return `${verb} ${formatAmount(a.amount, currency)} ${currency} on ${a.tender?.tenderId ?? "—"}`;
}

async function moveHeld(tx: Prisma.TransactionClient, a: Allocation) {
  await tx.tender.update({
    where: { id: a.tenderId! },
    data: a.operation === "reversal"
      ? { reversed: { increment: a.amount }, reversalHeld: { decrement: a.amount } }
      : { refunded: { increment: a.amount }, refundHeld: { decrement: a.amount } },
  });
}

/** Records a successful operation; `replaceReference` for a PayPal reauthorization, whose id replaces the tender's. */
export async function recordSuccess(
  tx: Prisma.TransactionClient,
  cancellationId: string,
  allocationId: string,
  operate: (tx: Prisma.TransactionClient) => Promise<string>,
  replaceReference = false,
): Promise<void> {
  const c = await lockCancellation(tx, cancellationId);
  const a = c.allocations.find((x) => x.id === allocationId)!;
  if (a.status !== "pending") return; // settled already (a webhook or an earlier run)
  const reference = await operate(tx);
  await tx.cancellationAllocation.update({ where: { id: a.id }, data: { status: "succeeded", providerReference: reference, attempts: { increment: 1 } } });
  await moveHeld(tx, a);
  if (replaceReference && reference && reference !== a.tender!.providerReference) {
    await tx.tender.update({ where: { id: a.tenderId! }, data: { providerReference: reference } });
  }
  await addTimeline(tx, c.id, "payment", "succeeded", `${describe(a, c.currency)} (${reference})`);
  await writeEvent(tx, a.operation === "reversal" ? "AuthorizationReversed" : "RefundProcessed", {
    orderId: c.orderId,
    correlationId: c.correlationId,
    payload: { cancellationId: c.id, tenderId: a.tender!.tenderId, operation: a.operation, amount: a.amount, currency: c.currency, providerReference: reference },
  });
}

async function recordInTransaction(
  ctx: Pick<SagaContext, "db">,
  cancellationId: string,
  allocationId: string,
  operate: (tx: Prisma.TransactionClient) => Promise<string>,
  replaceReference = false,
): Promise<void> {
  await ctx.db.$transaction((tx) => recordSuccess(tx, cancellationId, allocationId, operate, replaceReference));
}

/** A person completes this part: a manual-refund task, the tender marked manual_required. */
export async function recordManualTx(tx: Prisma.TransactionClient, cancellationId: string, allocationId: string, reason: string): Promise<void> {
  const c = await lockCancellation(tx, cancellationId);
  const a = c.allocations.find((x) => x.id === allocationId)!;
  if (a.status !== "pending") return;
  await tx.cancellationAllocation.update({ where: { id: a.id }, data: { status: "manual_required", lastError: reason, attempts: { increment: 1 } } });
  await moveHeld(tx, a);
  await tx.manualRefundTask.create({ data: { cancellationId: c.id, tenderId: a.tenderId, amount: a.amount, currency: c.currency, reason } });
  await addTimeline(tx, c.id, "payment", "manual_required", `${describe(a, c.currency)}: manual-refund task created (${reason})`);
}

async function recordManual(ctx: Pick<SagaContext, "db">, cancellationId: string, allocationId: string, reason: string): Promise<void> {
  await ctx.db.$transaction((tx) => recordManualTx(tx, cancellationId, allocationId, reason));
}
