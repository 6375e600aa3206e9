import { z } from "zod";
import { generateApiKey, hashApiKey } from "@/server/auth/api-keys";
import { API_SCOPES, type Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import { recordAdminAudit } from "../admin-audit";

export const ZCreateApiKeySchema = z.object({
  name: z.string().trim().min(1, "a name").max(100),
  userId: z.string().min(1).max(100),
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1, "at least one scope")
    .transform((s) => [...new Set(s)]),
});

// Enough to tell keys apart in lists and logs; the rest of the secret is never shown again.
const PREFIX_LENGTH = 12;

/**
 * A key for a machine client, acting as an active service user. Only its
 * SHA-256 is stored; the secret is in this answer and nowhere else.
 */
export async function createApiKey({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const data = ZCreateApiKeySchema.parse(input);
  const notFound = new AppError(ErrorCode.NOT_FOUND, `User ${data.userId} was not found.`);
  if (!isUuid(data.userId)) throw notFound;
  const secret = generateApiKey();
  const key = await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: data.userId } });
    if (!user) throw notFound;
    if (!user.isServiceUser || !user.active) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, "API keys act as an active service user; create one under Users first.", [
        { path: "userId", message: "choose an active service user" },
      ]);
    }
    const created = await tx.apiKey.create({
      data: { name: data.name, prefix: secret.slice(0, PREFIX_LENGTH), keyHash: hashApiKey(secret), scopes: data.scopes, userId: user.id },
    });
    await recordAdminAudit(tx, actor, {
      action: "api_key.created",
      entity: "api_key",
      entityId: created.id,
      details: { name: data.name, prefix: created.prefix, scopes: data.scopes, userId: user.id, userEmail: user.email },
    });
    return created;
  });
  return { apiKeyId: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, secret };
}
