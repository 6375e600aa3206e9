import type { Db } from "@/server/db/client";
import { fromJsonRow } from "@/server/db/json-rows";
import { isUuid } from "@/server/domain/ids";
import { PROVIDER_CREDENTIALS } from "@/server/config/payments";
import { type Numbered, numbered } from "@/server/db/numbers";
import { describeProgress } from "@/server/domain/cancellation-progress";
import { formatAmount } from "@/server/domain/money";
import { renderTimelineEntry } from "@/server/domain/timeline-entry";
import type { Prisma } from "@/server/generated/prisma/client";
import { type KnownReference, maskPaymentText, paymentReference, type PaymentViewer } from "@/server/payments/payment-view";

export const CANCELLATION_INCLUDE = {
  items: true,
  allocations: { orderBy: { position: "asc" }, include: { tender: true, providerOperation: { select: { status: true, attempts: true, nextAttemptAt: true } } } },
  manualTasks: { select: { allocationId: true, origin: true, verifyAtProvider: true, status: true, reference: true, amount: true } },
  timeline: { orderBy: [{ at: "asc" }, { id: "asc" }] },
  approval: { include: { decidedBy: { select: { id: true, name: true } } } },
  requestedBy: { select: { id: true, name: true, email: true } },
  warehouseLines: { orderBy: { lineId: "asc" } },
} as const satisfies Prisma.CancellationInclude;

type ProgressSource = Pick<LoadedCancellation, "status" | "currency" | "approverRole" | "orderAdjustedAt" | "inventoryReleasedAt" | "overrideNoRefund"> & {
  warehouseLines?: Pick<LoadedCancellation["warehouseLines"][number], "requested" | "stopped" | "outcome">[];
  failureReason?: string | null;
  allocations: (Pick<LoadedCancellation["allocations"][number], "operation" | "status" | "amount" | "providerReference" | "attempts" | "lastError"> & {
    tender: { provider: string; method: string; brand: string | null; last4: string | null } | null;
  })[];
  manualTasks: Pick<LoadedCancellation["manualTasks"][number], "status" | "amount">[];
};

/** What the cancellation is doing now, in words (server/domain/cancellation-progress.ts). */
export function progressOf(c: ProgressSource, unavailable: ReadonlySet<string> = new Set()) {
  return describeProgress({
    status: c.status,
    currency: c.currency,
    approverRole: c.approverRole,
    orderAdjusted: c.orderAdjustedAt !== null,
    inventoryReleased: c.inventoryReleasedAt !== null,
    noRefund: c.overrideNoRefund,
    allocations: c.allocations,
    manualTasks: c.manualTasks,
    warehouse: c.warehouseLines,
    failureReason: c.failureReason,
    openBreakers: [...unavailable],
  });
}

export type LoadedCancellation = Numbered<Prisma.CancellationGetPayload<{ include: typeof CANCELLATION_INCLUDE }>>;

const DATES = new Set(["orderAdjustedAt", "inventoryReleasedAt", "expiresAt", "completedAt", "createdAt", "updatedAt", "at", "decidedAt", "nextAttemptAt", "awaitingWarehouseSince", "warehouseRequestedAt", "warehouseAnsweredAt", "answeredAt"]);
const fromRow = (row: Record<string, unknown>) => fromJsonRow(row, DATES);

type JsonRow = Record<string, unknown>;

/**
 * The cancellation in CANCELLATION_INCLUDE's shape in ONE statement (Prisma's include is a query
 * per relation: nine round trips, two of them inside the submit's transaction, one set per
 * status poll).
 */
export async function loadCancellation(db: Db | Prisma.TransactionClient, id: string): Promise<LoadedCancellation | null> {
  if (!isUuid(id)) return null;
  const rows = await db.$queryRaw<{ c: JsonRow; items: JsonRow[] | null; allocations: { a: JsonRow; t: JsonRow | null; p: JsonRow | null }[] | null; manual_tasks: JsonRow[] | null; warehouse_lines: JsonRow[] | null; timeline: JsonRow[] | null; approval: JsonRow | null; requested_by: JsonRow | null }[]>`
    SELECT row_to_json(c) AS c,
           (SELECT json_agg(i) FROM cancellation_items i WHERE i.cancellation_id = c.id) AS items,
           (SELECT json_agg(json_build_object('a', a, 't', t,
                     'p', CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object('status', p.status, 'attempts', p.attempts, 'next_attempt_at', p.next_attempt_at) END)
                   ORDER BY a.position)
              FROM cancellation_allocations a
              LEFT JOIN tenders t ON t.id = a.tender_id
              LEFT JOIN provider_operations p ON p.allocation_id = a.id
             WHERE a.cancellation_id = c.id) AS allocations,
           (SELECT json_agg(json_build_object('allocation_id', m.allocation_id, 'origin', m.origin, 'verify_at_provider', m.verify_at_provider,
                     'status', m.status, 'reference', m.reference, 'amount', m.amount))
              FROM manual_refund_tasks m WHERE m.cancellation_id = c.id) AS manual_tasks,
           (SELECT json_agg(w ORDER BY w.line_id) FROM warehouse_cancellation_lines w WHERE w.cancellation_id = c.id) AS warehouse_lines,
           (SELECT json_agg(e ORDER BY e.at, e.id) FROM cancellation_timeline e WHERE e.cancellation_id = c.id) AS timeline,
           (SELECT to_jsonb(ap) || jsonb_build_object('decided_by', (SELECT json_build_object('id', d.id, 'name', d.name) FROM users d WHERE d.id = ap.decided_by_id))
              FROM approvals ap WHERE ap.cancellation_id = c.id) AS approval,
           (SELECT json_build_object('id', u.id, 'name', u.name, 'email', u.email) FROM users u WHERE u.id = c.requested_by_id) AS requested_by
      FROM cancellations c
     WHERE c.id = ${id}::uuid`;
  const row = rows[0];
  if (!row) return null;
  return {
    ...fromRow(row.c),
    items: (row.items ?? []).map(fromRow),
    allocations: (row.allocations ?? []).map(({ a, t, p }) => ({ ...fromRow(a), tender: t ? fromRow(t) : null, providerOperation: p ? fromRow(p) : null })),
    manualTasks: (row.manual_tasks ?? []).map(fromRow),
    warehouseLines: (row.warehouse_lines ?? []).map(fromRow),
    timeline: (row.timeline ?? []).map(fromRow),
    approval: row.approval ? fromRow(row.approval) : null,
    requestedBy: row.requested_by ? fromRow(row.requested_by) : null,
  } as unknown as LoadedCancellation;
}

/** The cancellations of several orders at once (GraphQL's DataLoader), newest first: one findMany whatever the count. */
export async function loadCancellationsOfOrders(db: Db, orderIds: readonly string[]): Promise<LoadedCancellation[]> {
  if (orderIds.length === 0) return [];
  const rows = await db.cancellation.findMany({ where: { orderId: { in: [...orderIds] } }, include: CANCELLATION_INCLUDE, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  return numbered(rows);
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
    .map((i) => ({ orderLineId: i.lineId, quantity: i.quantity, fromWarehouse: i.fromWarehouse, subtotal: money(i.subtotal), discount: money(i.discount), tax: money(i.tax), total: money(i.total) }));
  // SPEC §3: shipping this cancellation's saga added once the order was fully cancelled.
  const addedShipping = c.shippingAdded + c.shippingTaxAdded;
  const addedRefund = c.overrideNoRefund ? 0 : addedShipping;
  return {
    cancellationId: c.id,
    orderId: c.orderId,
    status: c.status,
    progress: progressOf(c, unavailable),
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
      ? {
          decision: c.approval.decision,
          decidedAt: c.approval.decidedAt.toISOString(),
          note: c.approval.note,
          decidedById: c.approval.decidedById,
          // Who decided, by name (null for an expiry: nobody decided it).
          decidedBy: c.approval.decidedBy ? { userId: c.approval.decidedBy.id, name: c.approval.decidedBy.name } : null,
        }
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
    shippingRefundAdded:
      addedShipping > 0
        ? { shipping: money(c.shippingAdded), shippingTax: money(c.shippingTaxAdded), total: money(addedShipping), refunded: addedRefund > 0 }
        : null,
    allocation: c.allocations.map((a) => ({ tenderId: a.tender?.tenderId ?? null, operation: a.operation, amount: money(a.amount) })),
    refundDetails: {
      total: money(c.total + addedRefund),
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
    timeline: c.timeline.map((t) => {
      // Words made now from the entry's facts (older entries: their stored text), then masked for this viewer.
      const detail = renderTimelineEntry(t);
      return { at: t.at.toISOString(), step: t.step, status: t.status, detail: detail === null ? null : maskPaymentText(viewer, detail, known) };
    }),
    waitingFor: waitingFor(c, unavailable),
    warehouse: warehouseView(c, money),
  };
}

/** SPEC §11: what was asked of the warehouse and what it answered, per line; null when it was not asked. */
function warehouseView(c: LoadedCancellation, money: (minor: number) => string) {
  if (c.warehouseLines.length === 0) return null;
  return {
    confirmationRequired: true,
    refundUpTo: c.upToTotal === null ? null : money(c.upToTotal),
    waitingSince: c.awaitingWarehouseSince?.toISOString() ?? null,
    requestedAt: c.warehouseRequestedAt?.toISOString() ?? null,
    answeredAt: c.warehouseAnsweredAt?.toISOString() ?? null,
    lines: c.warehouseLines.map((l) => ({
      orderLineId: l.lineId,
      sku: l.sku,
      locationId: l.locationId,
      requested: l.requested,
      stopped: l.stopped,
      notStopped: l.stopped === null ? null : l.requested - l.stopped,
      outcome: l.outcome,
    })),
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
