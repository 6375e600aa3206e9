import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { assertEmbedAdmin, embedClientView } from "./embed-client-admin";

export async function listEmbedClients({ db, actor }: { db: Db; actor: Actor }) {
  assertEmbedAdmin(actor);
  return (await db.embedClient.findMany({ orderBy: { createdAt: "asc" } })).map(embedClientView);
}
