import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import { newTotpSecret, totpFor } from "@/server/auth/totp";
import type { Db } from "@/server/db/client";
import { apiKeysChanged } from "@/server/auth/api-keys";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { isUuid } from "@/server/domain/ids";
import { recordAdminAudit } from "../admin-audit";
import { checkedStoreIds, ZRole, ZStoreIds } from "./user-input";

export const ZUpdateUserSchema = z.object({
  userId: z.string().min(1).max(100),
  role: ZRole,
  storeIds: ZStoreIds,
  active: z.boolean(),
});

/**
 * Role, stores and active flag. Every request re-reads the user (session and
 * API key alike), so a change takes effect on the next request. An admin
 * cannot lock themselves out: no deactivating or demoting oneself.
 */
export async function updateUser({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const data = ZUpdateUserSchema.parse(input);
  const notFound = new AppError(ErrorCode.NOT_FOUND, `User ${data.userId} was not found.`);
  if (!isUuid(data.userId)) throw notFound;
  const result = await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: data.userId }, include: { stores: true } });
    if (!user) throw notFound;
    if (user.id === actor.userId && (!data.active || data.role !== user.role)) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, "You cannot deactivate your own account or change your own role; another admin can.");
    }
    const storeIds = await checkedStoreIds(tx, data.role, data.storeIds);
    // A new system admin cannot sign in without a second factor: give them one now.
    const totpSecret = data.role === "system_admin" && !user.isServiceUser && !user.totpSecret ? newTotpSecret() : null;
    await tx.userStore.deleteMany({ where: { userId: user.id } });
    await tx.user.update({
      where: { id: user.id },
      data: {
        role: data.role,
        active: data.active,
        ...(totpSecret ? { totpSecret } : {}),
        stores: { create: storeIds.map((storeId) => ({ storeId })) },
      },
    });
    const before = { role: user.role, storeIds: user.stores.map((s) => s.storeId).sort(), active: user.active };
    const after = { role: data.role, storeIds: [...storeIds].sort(), active: data.active };
    await recordAdminAudit(tx, actor, {
      action: !data.active && user.active ? "user.deactivated" : data.active && !user.active ? "user.reactivated" : "user.updated",
      entity: "user",
      entityId: user.id,
      details: { email: user.email, before, after, totpIssued: totpSecret !== null },
    });
    return { userId: user.id, totpSecret, totpUri: totpSecret ? totpFor(totpSecret, user.email).toString() : null };
  });
  // This process's API-key cache at once; the others hear the trigger's NOTIFY.
  apiKeysChanged(db);
  return result;
}
