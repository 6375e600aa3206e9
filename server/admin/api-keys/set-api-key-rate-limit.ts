import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import { recordAdminAudit } from "../admin-audit";

export const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;

export const ZSetApiKeyRateLimitSchema = z.object({
  apiKeyId: z.string().min(1).max(100),
  /** Requests per minute; null: the default (RATE_LIMIT_API_KEY_PER_MINUTE). */
  perMinute: z.number().int("a whole number").min(1, "at least 1").max(MAX_RATE_LIMIT_PER_MINUTE, `at most ${MAX_RATE_LIMIT_PER_MINUTE}`).nullable(),
});

/** An API key's own request limit (server/rest/rate-limit.ts applies it within 10 s). */
export async function setApiKeyRateLimit({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { apiKeyId, perMinute } = ZSetApiKeyRateLimitSchema.parse(input);
  const notFound = new AppError(ErrorCode.NOT_FOUND, `API key ${apiKeyId} was not found.`);
  if (!isUuid(apiKeyId)) throw notFound;
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: apiKeyId }, select: { id: true, prefix: true, rateLimitPerMinute: true } });
    if (!key) throw notFound;
    await tx.apiKey.update({ where: { id: apiKeyId }, data: { rateLimitPerMinute: perMinute } });
    await recordAdminAudit(tx, actor, { action: "api_key.rate_limit_changed", entity: "api_key", entityId: key.id, details: { prefix: key.prefix, from: key.rateLimitPerMinute, to: perMinute } });
    return { apiKeyId: key.id, rateLimitPerMinute: perMinute };
  });
}
