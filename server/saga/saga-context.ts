import type { Db } from "@/server/db/client";
import { type Numbered, numbered } from "@/server/db/numbers";
import type { Prisma } from "@/server/generated/prisma/client";
import type { PaymentProviders } from "@/server/payments/registry";
import { faultInjector, type SagaFaults } from "./faults";

export interface SagaDeps {
  db: Db;
  payments: PaymentProviders;
  faults?: SagaFaults;
  /** For the saga runner's lock connection (saga-lease.ts); DATABASE_URL when omitted. */
  databaseUrl?: string;
}

export type SagaContext = SagaDeps & { inject: ReturnType<typeof faultInjector> };

export function sagaContext(deps: SagaDeps): SagaContext {
  return { ...deps, inject: faultInjector(deps.faults) };
}

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

export async function loadSagaCancellation(db: Db | Prisma.TransactionClient, id: string): Promise<SagaCancellation> {
  return numbered(await db.cancellation.findUniqueOrThrow({ where: { id }, include: SAGA_INCLUDE }));
}

export async function lockOrder(tx: Prisma.TransactionClient, orderId: string) {
  await tx.$queryRaw`SELECT id FROM orders WHERE id = ${orderId}::uuid FOR UPDATE`;
}

/**
 * The order, then the cancellation, locked: the one lock order every writer
 * that needs both uses (submit, approval, expiry, saga), so none deadlocks.
 */
export async function lockOrderAndCancellation(tx: Prisma.TransactionClient, cancellationId: string): Promise<SagaCancellation> {
  const { orderId } = await tx.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, select: { orderId: true } });
  await lockOrder(tx, orderId);
  return lockCancellation(tx, cancellationId);
}
