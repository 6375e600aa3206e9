import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { loadOrderForActor } from "./load-order";
import { toOrderView } from "./order-view";

export async function getOrder({ db, actor }: { db: Db; actor: Actor }, orderId: string) {
  return toOrderView(await loadOrderForActor(db, actor, orderId), actor);
}
