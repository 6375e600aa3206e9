import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { apiKeysChanged } from "@/server/auth/api-keys";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import { recordAdminAudit } from "../admin-audit";

export const ZRevokeApiKeySchema = z.object({ apiKeyId: z.string().min(1).max(100) });

/** Revokes a key: the next request with it is unauthenticated (in this process at once, in the others when the NOTIFY arrives, within milliseconds). */
export async function revokeApiKey({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { apiKeyId } = ZRevokeApiKeySchema.parse(input);
  const notFound = new AppError(ErrorCode.NOT_FOUND, `API key ${apiKeyId} was not found.`);
  if (!isUuid(apiKeyId)) throw notFound;
  const result = await db.$transaction(async (tx) => {
    const revokedAt = new Date();
    const { count } = await tx.apiKey.updateMany({ where: { id: apiKeyId, revokedAt: null }, data: { revokedAt } });
    if (count === 0) {
      const key = await tx.apiKey.findUnique({ where: { id: apiKeyId }, select: { revokedAt: true } });
      if (!key) throw notFound;
      throw new AppError(ErrorCode.INVALID_STATE, `This key was already revoked on ${key.revokedAt!.toISOString()}.`);
    }
    const key = await tx.apiKey.findUniqueOrThrow({ where: { id: apiKeyId }, include: { user: { select: { email: true } } } });
    await recordAdminAudit(tx, actor, {
      action: "api_key.revoked",
      entity: "api_key",
      entityId: key.id,
      details: { name: key.name, prefix: key.prefix, userEmail: key.user.email },
    });
    return { apiKeyId: key.id, revokedAt: revokedAt.toISOString() };
  });
  // This process's API-key cache at once; the others hear the trigger's NOTIFY.
  apiKeysChanged(db);
  return result;
}
