import { recordAudit } from "@/server/audit/record-audit";
import { addTimeline, noteManualRefundsDone } from "@/server/cancellations/timeline";
import { fromDbBigint } from "@/server/db/numbers";
import type { PaymentOutcomeFacts, TimelineData } from "@/server/domain/timeline-entry";
import { settleHeldAmount } from "@/server/domain/order-transitions";
import { writeEvent } from "@/server/events/outbox";
import type { ManualTaskOrigin, Prisma, ProviderOperationStatus } from "@/server/generated/prisma/client";
import { applyTenderChanges } from "@/server/orders/apply-order-change";
import { lockCancellation, type SagaCancellation } from "../saga-context";
import { logger } from "@/server/observability/logger";

export type Allocation = SagaCancellation["allocations"][number];

/** Derived from the cancellation, the tender and the step: a retry can never move money twice. */
export function paymentIdempotencyKey(cancellationId: string, a: { position: number; operation: string; tender: { tenderId: string } | null }) {
  return `pc:${cancellationId}:${a.tender?.tenderId ?? "none"}:${a.operation}:${a.position}`;
}

/** A payment entry's facts: the operation, the money and the tender's label facts (words: server/domain/timeline-entry.ts). */
export function paymentFacts(a: Allocation, currency: string, result: PaymentOutcomeFacts): TimelineData {
  const tender = a.tender ? { method: a.tender.method, brand: a.tender.brand, last4: a.tender.last4 } : null;
  return { kind: "payment", operation: a.operation, currency, amount: a.amount, tender, result };
}

async function moveHeld(tx: Prisma.TransactionClient, a: Allocation) {
  if (a.tender) await applyTenderChanges(tx, a.tender.orderId, settleHeldAmount({ tenderId: a.tender.tenderId, operation: a.operation, amount: a.amount }).tenders);
}

async function settleProviderOperation(tx: Prisma.TransactionClient, allocationId: string, status: ProviderOperationStatus, providerReference?: string) {
  await tx.providerOperation.updateMany({
    where: { allocationId },
    data: { status, ...(providerReference ? { providerReference } : {}), ...(status === "succeeded" || status === "declined" ? { settledAt: new Date() } : {}) },
  });
}

/** Records a successful operation; `replaceReference` for a PayPal reauthorization, whose id replaces the tender's. */
export async function recordSuccess(
  tx: Prisma.TransactionClient,
  cancellationId: string,
  allocationId: string,
  operate: (tx: Prisma.TransactionClient) => Promise<string>,
  replaceReference = false,
): Promise<boolean> {
  const c = await lockCancellation(tx, cancellationId);
  const a = c.allocations.find((x) => x.id === allocationId)!;
  if (a.status !== "pending") return false; // settled already (a webhook or an earlier run)
  const reference = await operate(tx);
  await tx.cancellationAllocation.update({ where: { id: a.id }, data: { status: "succeeded", providerReference: reference, attempts: { increment: 1 } } });
  await settleProviderOperation(tx, a.id, "succeeded", reference);
  await moveHeld(tx, a);
  if (replaceReference && reference && reference !== a.tender!.providerReference) {
    await tx.tender.update({ where: { id: a.tenderId! }, data: { providerReference: reference } });
  }
  // The provider's reference is in refundDetails (masked per viewer), not in the words.
  await addTimeline(tx, c.id, "payment", "succeeded", paymentFacts(a, c.currency, { kind: "succeeded" }));
  await writeSettledEvent(tx, c, a, reference);
  return true;
}

async function writeSettledEvent(tx: Prisma.TransactionClient, c: SagaCancellation, a: Allocation, reference: string) {
  await writeEvent(tx, a.operation === "reversal" ? "AuthorizationReversed" : "RefundProcessed", {
    orderId: c.orderId,
    correlationId: c.correlationId,
    payload: { cancellationId: c.id, tenderId: a.tender!.tenderId, operation: a.operation, amount: a.amount, currency: c.currency, providerReference: reference },
  });
}

export interface HandOver {
  origin: ManualTaskOrigin;
  /** The provider's outcome is still unknown: the person checks the provider before refunding. */
  verifyAtProvider?: boolean;
  /** What the provider operation is now known to be, when there is one. */
  operationStatus?: ProviderOperationStatus;
}

/**
 * A person completes this part: a manual-refund task, the tender marked manual_required. SPEC §6:
 * only a decline or an unknown the provider proved did nothing comes here, or (`verifyAtProvider`)
 * an unknown that the provider could not settle within the horizon.
 */
export async function recordManualTx(tx: Prisma.TransactionClient, cancellationId: string, allocationId: string, reason: string, handOver: HandOver): Promise<void> {
  const c = await lockCancellation(tx, cancellationId);
  const a = c.allocations.find((x) => x.id === allocationId)!;
  if (a.status !== "pending") return;
  const verifyAtProvider = handOver.verifyAtProvider ?? handOver.origin === "unverified_unknown";
  await tx.cancellationAllocation.update({ where: { id: a.id }, data: { status: "manual_required", lastError: reason, attempts: { increment: 1 } } });
  if (handOver.operationStatus) await settleProviderOperation(tx, a.id, handOver.operationStatus);
  await moveHeld(tx, a);
  await tx.manualRefundTask.create({ data: { cancellationId: c.id, tenderId: a.tenderId, allocationId: a.id, amount: a.amount, currency: c.currency, reason, origin: handOver.origin, verifyAtProvider } });
  await addTimeline(tx, c.id, "payment", "manual_required", paymentFacts(a, c.currency, { kind: "manual", origin: handOver.origin, reason }));
}

/**
 * The provider confirmed an operation that had gone to a person: the money
 * has moved, so the open task is closed before anyone refunds a second time.
 * The tender's totals moved when the task was made; they stay. A task a
 * person already completed means the customer got the money twice: alerted.
 */
export async function recordLateConfirmation(tx: Prisma.TransactionClient, cancellationId: string, allocationId: string, provider: string, reference: string): Promise<"closed" | "already_settled"> {
  const c = await lockCancellation(tx, cancellationId);
  const a = c.allocations.find((x) => x.id === allocationId)!;
  if (a.status !== "manual_required") return "already_settled";
  await tx.cancellationAllocation.update({ where: { id: a.id }, data: { status: "succeeded", providerReference: reference } });
  await settleProviderOperation(tx, a.id, "succeeded", reference);
  const tasks = await tx.manualRefundTask.findMany({ where: { cancellationId: c.id, OR: [{ allocationId: a.id }, { allocationId: null, tenderId: a.tenderId, amount: a.amount }] } });
  const open = tasks.filter((t) => t.status === "open");
  await tx.manualRefundTask.updateMany({ where: { id: { in: open.map((t) => t.id) } }, data: { status: "done", reference: `confirmed by ${provider}: ${reference}`, completedAt: new Date() } });
  const doneByPerson = tasks.filter((t) => t.status === "done");
  const paidTwiceReferences = doneByPerson.map((t) => t.reference ?? "");
  await addTimeline(tx, c.id, "payment", "succeeded", paymentFacts(a, c.currency, { kind: "confirmed_late", provider, reference, paidTwiceReferences }));
  if (open.length) await noteManualRefundsDone(tx, c.id);
  await writeSettledEvent(tx, c, a, reference);
  for (const task of open.length ? open : doneByPerson) {
    await recordAudit(tx, {
      actorType: "system",
      action: open.length ? "manual_refund.closed_by_provider" : "manual_refund.paid_twice",
      entity: "manual_refund_task",
      entityId: task.id,
      orderId: c.orderId,
      channel: "webhook",
      details: { cancellationId: c.id, provider, providerReference: reference, amount: fromDbBigint(task.amount, "task amount"), currency: task.currency },
    });
  }
  if (doneByPerson.length) logger().error({ cancellationId: c.id, alert: "manual_refund" }, `ALERT ${provider} confirmed ${reference} after a person had completed the manual refund (${paidTwiceReferences.join(", ")}): the customer was paid twice`);
  return "closed";
}
