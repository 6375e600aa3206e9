import { canSeeStore, type Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { isUuid } from "@/server/domain/ids";

/**
 * A page title for the order: "Order W-1001", or plain "Order" for an order the actor may not
 * see (the title must not tell that it exists, SPEC §1) or that does not exist.
 */
export async function orderTitle({ db, actor }: { db: Db; actor: Actor | null }, orderId: string): Promise<string> {
  if (!actor || !isUuid(orderId)) return "Order";
  const order = await db.order.findUnique({ where: { id: orderId }, select: { externalId: true, storeId: true } });
  return order && canSeeStore(actor, order.storeId) ? `Order ${order.externalId}` : "Order";
}
