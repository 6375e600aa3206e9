import { type Actor, canSeeStore } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import type { Prisma } from "@/server/generated/prisma/client";
import { isUuid } from "@/server/domain/ids";
import { type Numbered, numbered } from "@/server/db/numbers";

export const ORDER_INCLUDE = {
  lines: { orderBy: { position: "asc" } },
  discounts: { orderBy: { position: "asc" } },
  tenders: { orderBy: { position: "asc" } },
} as const satisfies Prisma.OrderInclude;

export type LoadedOrder = Numbered<Prisma.OrderGetPayload<{ include: typeof ORDER_INCLUDE }>>;

export function notFound(orderId: string) {
  return new AppError(ErrorCode.NOT_FOUND, `Order ${orderId} was not found.`);
}

/**
 * The order with its lines, discounts and tenders, if the actor may see it.
 * A store manager gets the same 404 for another store's order as for one
 * that does not exist. With `lock`, the order row is locked FOR UPDATE
 * (call it inside a transaction).
 */
export async function loadOrderForActor(
  db: Db | Prisma.TransactionClient,
  actor: Actor,
  orderId: string,
  opts: { lock?: boolean } = {},
): Promise<LoadedOrder> {
  if (!isUuid(orderId)) throw notFound(orderId);
  if (opts.lock) await db.$queryRaw`SELECT id FROM orders WHERE id = ${orderId}::uuid FOR UPDATE`;
  const order = await db.order.findUnique({ where: { id: orderId }, include: ORDER_INCLUDE });
  if (!order || !canSeeStore(actor, order.storeId)) throw notFound(orderId);
  return numbered(order);
}
