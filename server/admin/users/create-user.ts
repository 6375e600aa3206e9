import { randomBytes } from "node:crypto";
import { z } from "zod";
import { hashPassword } from "@/server/auth/password";
import type { Actor } from "@/server/auth/permissions";
import { newTotpSecret, totpFor } from "@/server/auth/totp";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { recordAdminAudit } from "../admin-audit";
import { checkedStoreIds, ZRole, ZStoreIds } from "./user-input";

export const ZCreateUserSchema = z.object({
  email: z.string().trim().toLowerCase().max(200).pipe(z.email("a valid email address")),
  name: z.string().trim().min(1, "a name").max(200),
  role: ZRole,
  storeIds: ZStoreIds.default([]),
  /** A service user is what an API key acts as; it cannot sign in. */
  serviceUser: z.boolean().default(false),
});

/**
 * Creates an account. People get a generated temporary password (and a system
 * admin a TOTP secret), returned this once and never stored in the clear.
 */
export async function createUser({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const data = ZCreateUserSchema.parse(input);
  const temporaryPassword = data.serviceUser ? null : randomBytes(12).toString("base64url");
  const totpSecret = !data.serviceUser && data.role === "system_admin" ? newTotpSecret() : null;
  // A service user gets an unguessable password it is never told: it signs in with API keys only.
  const passwordHash = await hashPassword(temporaryPassword ?? randomBytes(32).toString("base64url"));
  const user = await db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `A user with the email ${data.email} already exists.`, [{ path: "email", message: "already in use" }]);
    }
    const storeIds = await checkedStoreIds(tx, data.role, data.storeIds);
    const created = await tx.user.create({
      data: {
        email: data.email,
        name: data.name,
        role: data.role,
        passwordHash,
        totpSecret,
        isServiceUser: data.serviceUser,
        stores: { create: storeIds.map((storeId) => ({ storeId })) },
      },
    });
    await recordAdminAudit(tx, actor, {
      action: "user.created",
      entity: "user",
      entityId: created.id,
      details: { email: data.email, role: data.role, storeIds, serviceUser: data.serviceUser },
    });
    return created;
  });
  return {
    userId: user.id,
    email: user.email,
    temporaryPassword,
    totpSecret,
    totpUri: totpSecret ? totpFor(totpSecret, user.email).toString() : null,
  };
}
