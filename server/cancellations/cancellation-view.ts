import type { Db } from "@/server/db/client";
import { PROVIDER_CREDENTIALS } from "@/server/payments/config";
import { type Numbered, numbered } from "@/server/db/numbers";
import { describeProgress } from "@/server/domain/cancellation-progress";
import { formatAmount } from "@/server/domain/money";
import type { Prisma } from "@/server/generated/prisma/client";
import { type KnownReference, maskPaymentText, paymentReference, type PaymentViewer } from "@/server/payments/payment-view";

export const CANCELLATION_INCLUDE = {
  items: true,
  allocations: { orderBy: { position: "asc" }, include: { tender: true, providerOperation: { select: { status: true, attempts: true, nextAttemptAt: true } } } },
  manualTasks: { select: { allocationId: true, origin: true, verifyAtProvider: true, status: true, reference: true, amount: true } },
  timeline: { orderBy: [{ at: "asc" }, { id: "asc" }] },
  approval: true,
  requestedBy: { select: { id: true, name: true, email: true } },
} as const satisfies Prisma.CancellationInclude;

type ProgressSource = Pick<LoadedCancellation, "status" | "currency" | "approverRole" | "orderAdjustedAt" | "inventoryReleasedAt" | "overrideNoRefund"> & {
  allocations: (Pick<LoadedCancellation["allocations"][number], "operation" | "status" | "amount" | "providerReference" | "attempts" | "lastError"> & {
    tender: { provider: string; method: string; brand: string | null; last4: string | null } | null;
  })[];
  manualTasks: Pick<LoadedCancellation["manualTasks"][number], "status" | "amount">[];
};

/** What the cancellation is doing now, in words (server/domain/cancellation-progress.ts). */
export function progressOf(c: ProgressSource) {
  return describeProgress({
    status: c.status,
    currency: c.currency,
    approverRole: c.approverRole,
    orderAdjusted: c.orderAdjustedAt !== null,
    inventoryReleased: c.inventoryReleasedAt !== null,
    noRefund: c.overrideNoRefund,
    allocations: c.allocations,
    manualTasks: c.manualTasks,
  });
}

export type LoadedCancellation = Numbered<Prisma.CancellationGetPayload<{ include: typeof CANCELLATION_INCLUDE }>>;

export async function loadCancellation(db: Db | Prisma.TransactionClient, id: string): Promise<LoadedCancellation | null> {
  const row = await db.cancellation.findUnique({ where: { id }, include: CANCELLATION_INCLUDE });
  return row && numbered(row);
}

/** SPEC §7's status answer, which also carries the submit answer's fields; payment references as `viewer` may see them. */
/**
 * `unavailable`: the providers whose circuit breaker is open now (payments/circuit-breaker.ts); a
 * processing cancellation with a part still to do on one of them says it is waiting for it.
 */
export function toCancellationView(c: LoadedCancellation, viewer: PaymentViewer, unavailable: ReadonlySet<string> = new Set()) {
  const money = (minor: number) => formatAmount(minor, c.currency);
  const known: KnownReference[] = [
    ...c.allocations.flatMap((a) => [
      { reference: a.providerReference, method: a.tender?.method },
      { reference: a.tender?.providerReference, method: a.tender?.method },
    ]),
    ...c.manualTasks.map((t) => ({ reference: t.reference })),
  ];
  const lines = [...c.items]
    .sort((a, b) => a.lineId.localeCompare(b.lineId))
    .map((i) => ({ orderLineId: i.lineId, quantity: i.quantity, subtotal: money(i.subtotal), discount: money(i.discount), tax: money(i.tax), total: money(i.total) }));
  return {
    cancellationId: c.id,
    orderId: c.orderId,
    status: c.status,
    progress: progressOf(c),
    currency: c.currency,
    refundAmount: money(c.total),
    refundMethod: c.refundMethod,
    reason: c.reason,
    note: c.note,
    previewVersion: c.previewVersion,
    createdAt: c.createdAt.toISOString(),
    completedAt: c.completedAt?.toISOString() ?? null,
    requestedBy: { userId: c.requestedBy.id, name: c.requestedBy.name },
    approvalRequired: c.approvalRequired,
    approvalReasons: c.approvalReasons,
    approval: c.approval
      ? { decision: c.approval.decision, decidedAt: c.approval.decidedAt.toISOString(), note: c.approval.note, decidedById: c.approval.decidedById }
      : null,
    overrides:
      c.overrideRefundShipping || c.overrideNoRefund
        ? {
            refundShipping: c.overrideRefundShipping,
            noRefund: c.overrideNoRefund,
            shippingAdded: money(c.overrideShippingAdded),
            notRefunded: money(c.items.reduce((s, i) => s + i.waivedMerchandise + i.waivedTax, 0) + c.shippingWaived + c.shippingTaxWaived),
          }
        : null,
    lines,
    totals: {
      subtotal: money(c.subtotal),
      discount: money(c.discount),
      tax: money(c.tax),
      shipping: money(c.shipping),
      shippingTax: money(c.shippingTax),
      total: money(c.total),
    },
    allocation: c.allocations.map((a) => ({ tenderId: a.tender?.tenderId ?? null, operation: a.operation, amount: money(a.amount) })),
    refundDetails: {
      total: money(c.total),
      allocation: c.allocations.map((a) => ({
        tenderId: a.tender?.tenderId ?? null,
        method: a.tender?.method ?? null,
        operation: a.operation,
        amount: money(a.amount),
        status: a.status,
        providerReference: paymentReference(viewer, a.providerReference, a.tender?.method),
        ...paymentProgress(c, a),
      })),
    },
    timeline: c.timeline.map((t) => ({ at: t.at.toISOString(), step: t.step, status: t.status, detail: t.detail === null ? null : maskPaymentText(viewer, t.detail, known) })),
    waitingFor: waitingFor(c, unavailable),
  };
}

function waitingFor(c: LoadedCancellation, unavailable: ReadonlySet<string>) {
  if (c.status !== "processing") return null;
  const providers = [...new Set(c.allocations.filter((a) => a.status === "pending" && a.tender && unavailable.has(a.tender.provider)).map((a) => a.tender!.provider))];
  if (providers.length === 0) return null;
  const names = providers.map((p) => PROVIDER_CREDENTIALS[p as keyof typeof PROVIDER_CREDENTIALS]?.label ?? p);
  return { providers, message: `Waiting for ${names.join(" and ")} to recover` };
}

/**
 * SPEC §6 "Provider outcomes", as the status shows it: `providerOutcome` is where the provider
 * operation stands (`unknown`: retried under the same key until `retryAt`), and `manualRefund` says
 * why a person was handed the part and whether they must check the provider before paying.
 */
function paymentProgress(c: LoadedCancellation, a: LoadedCancellation["allocations"][number]) {
  const op = a.providerOperation;
  const task = c.manualTasks.find((t) => t.allocationId === a.id);
  return {
    providerOutcome: op ? { status: op.status, attempts: op.attempts, retryAt: op.status === "unknown" ? (op.nextAttemptAt?.toISOString() ?? null) : null } : null,
    manualRefund: task ? { origin: task.origin, verifyAtProvider: task.verifyAtProvider, status: task.status } : null,
  };
}

export type CancellationView = ReturnType<typeof toCancellationView>;
