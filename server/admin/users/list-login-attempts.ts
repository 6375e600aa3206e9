import { z } from "zod";
import type { Db } from "@/server/db/client";

export const ZListLoginAttemptsSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(200).optional(),
    failedOnly: z.boolean().default(true),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .default({ failedOnly: true, limit: 100 });

/** Sign-in attempts, newest first: what failed, why, from where. */
export async function listLoginAttempts({ db }: { db: Db }, input: unknown) {
  const q = ZListLoginAttemptsSchema.parse(input ?? {});
  const rows = await db.loginAttempt.findMany({
    where: { ...(q.failedOnly ? { success: false } : {}), ...(q.email ? { email: { contains: q.email } } : {}) },
    orderBy: { at: "desc" },
    take: q.limit,
  });
  return rows.map((a) => ({ id: a.id, at: a.at.toISOString(), email: a.email, success: a.success, reason: a.reason, ip: a.ip, userAgent: a.userAgent }));
}
