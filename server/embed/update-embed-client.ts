import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { encryptClientSecret, generateClientSecret } from "./client-secret";
import { assertEmbedAdmin, embedClientView, recordEmbedClientAudit } from "./embed-client-admin";
import { ZUpdateEmbedClientSchema } from "./embed-clients.schema";

/** Renames, changes origins, (de)activates, or rotates the secret (the new one is in the answer). */
export async function updateEmbedClient({ db, actor }: { db: Db; actor: Actor }, id: string, input: unknown) {
  assertEmbedAdmin(actor);
  const data = ZUpdateEmbedClientSchema.parse(input);
  const secret = data.rotateSecret ? generateClientSecret() : undefined;
  return db.$transaction(async (tx) => {
    const existing = await tx.embedClient.findUnique({ where: { id } });
    if (!existing) throw new AppError(ErrorCode.NOT_FOUND, `There is no embed client ${id}.`);
    const updated = await tx.embedClient.update({
      where: { id },
      data: { name: data.name, allowedOrigins: data.allowedOrigins, active: data.active, secretCiphertext: secret ? encryptClientSecret(id, secret) : undefined },
    });
    await recordEmbedClientAudit(tx, actor, {
      action: "embed_client.updated",
      entityId: id,
      details: { name: data.name ?? null, allowedOrigins: data.allowedOrigins ?? null, active: data.active ?? null, secretRotated: !!secret },
    });
    return secret ? { ...embedClientView(updated), secret } : embedClientView(updated);
  });
}
