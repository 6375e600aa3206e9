import type { Db } from "@/server/db/client";
import { fromJsonRow } from "@/server/db/json-rows";
import type { Numbered } from "@/server/db/numbers";
import { AppError, ErrorCode } from "@/server/domain/errors";
import type { Prisma } from "@/server/generated/prisma/client";

/*
 * The cancellation aggregate as the saga and the deciding use-cases (approve, reject, withdraw,
 * expiry) load and lock it. Here, in the cancellation module, so that those use-cases need
 * nothing from the saga, which imports them.
 */

export const SAGA_INCLUDE = {
  items: true,
  allocations: { orderBy: { position: "asc" }, include: { tender: true } },
  order: { select: { id: true, customerId: true, currency: true, storeId: true } },
} as const satisfies Prisma.CancellationInclude;

export type SagaCancellation = Numbered<Prisma.CancellationGetPayload<{ include: typeof SAGA_INCLUDE }>>;

/** The cancellation, its row locked for the rest of the transaction. */
export async function lockCancellation(tx: Prisma.TransactionClient, id: string): Promise<SagaCancellation> {
  await tx.$queryRaw`SELECT id FROM cancellations WHERE id = ${id}::uuid FOR UPDATE`;
  return loadSagaCancellation(tx, id);
}

const DATES = new Set(["orderAdjustedAt", "inventoryReleasedAt", "expiresAt", "completedAt", "createdAt", "updatedAt"]);
const fromRow = (row: Record<string, unknown>) => fromJsonRow(row, DATES);

/**
 * The cancellation with its items, its allocations (each with its tender) and the order's few
 * fields the saga needs (SAGA_INCLUDE's shape): ONE statement, where Prisma's include is a
 * query per relation. Every saga step reads it at least once.
 */
export async function loadSagaCancellation(db: Db | Prisma.TransactionClient, id: string): Promise<SagaCancellation> {
  const rows = await db.$queryRaw<{ c: Record<string, unknown>; items: Record<string, unknown>[] | null; allocations: { a: Record<string, unknown>; t: Record<string, unknown> | null }[] | null; o: Record<string, unknown> }[]>`
    SELECT row_to_json(c) AS c,
           (SELECT json_agg(i) FROM cancellation_items i WHERE i.cancellation_id = c.id) AS items,
           (SELECT json_agg(json_build_object('a', a, 't', t) ORDER BY a.position)
              FROM cancellation_allocations a LEFT JOIN tenders t ON t.id = a.tender_id
             WHERE a.cancellation_id = c.id) AS allocations,
           json_build_object('id', o.id, 'customer_id', o.customer_id, 'currency', o.currency, 'store_id', o.store_id) AS o
      FROM cancellations c JOIN orders o ON o.id = c.order_id
     WHERE c.id = ${id}::uuid`;
  const row = rows[0];
  if (!row) throw new AppError(ErrorCode.NOT_FOUND, `Cancellation ${id} was not found.`);
  return {
    ...fromRow(row.c),
    items: (row.items ?? []).map(fromRow),
    allocations: (row.allocations ?? []).map(({ a, t }) => ({ ...fromRow(a), tender: t ? fromRow(t) : null })),
    order: fromRow(row.o),
  } as unknown as SagaCancellation;
}

export async function lockOrder(tx: Prisma.TransactionClient, orderId: string) {
  await tx.$queryRaw`SELECT id FROM orders WHERE id = ${orderId}::uuid FOR UPDATE`;
}

/**
 * The order, then the cancellation, locked: the one lock order every writer
 * that needs both uses (submit, approval, expiry, saga), so none deadlocks.
 */
export async function lockOrderAndCancellation(tx: Prisma.TransactionClient, cancellationId: string): Promise<SagaCancellation> {
  // The order found through the cancellation and locked in one statement (a cancellation's order never changes).
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT o.id FROM orders o JOIN cancellations c ON c.order_id = o.id WHERE c.id = ${cancellationId}::uuid FOR UPDATE OF o`;
  if (!locked.length) throw new AppError(ErrorCode.NOT_FOUND, `Cancellation ${cancellationId} was not found.`);
  return lockCancellation(tx, cancellationId);
}
