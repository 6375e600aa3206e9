import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import { newTotpSecret, totpFor } from "@/server/auth/totp";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import { recordAdminAudit } from "../admin-audit";

export const ZResetTotpSchema = z.object({ userId: z.string().min(1).max(100) });

/** A new TOTP secret for a system admin (the old one stops working at once), returned this once. */
export async function resetTotp({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { userId } = ZResetTotpSchema.parse(input);
  const notFound = new AppError(ErrorCode.NOT_FOUND, `User ${userId} was not found.`);
  if (!isUuid(userId)) throw notFound;
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound;
    if (user.role !== "system_admin" || user.isServiceUser) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, "Only system admins sign in with a second factor.");
    }
    const totpSecret = newTotpSecret();
    await tx.user.update({ where: { id: user.id }, data: { totpSecret } });
    await recordAdminAudit(tx, actor, { action: "user.totp_reset", entity: "user", entityId: user.id, details: { email: user.email } });
    return { userId: user.id, totpSecret, totpUri: totpFor(totpSecret, user.email).toString() };
  });
}
