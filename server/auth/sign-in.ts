import type { Db } from "@/server/db/client";
import { recordAudit } from "@/server/audit/record-audit";
import { DUMMY_HASH, verifyPassword } from "./password";
import { isActivePerson, type Role } from "./permissions";
import { verifyTotp } from "./totp";

export const SIGN_IN_FAILED = "Sign-in failed: check your email, password and code.";
export const MAX_FAILURES = 5;
export const LOCK_WINDOW_MS = 15 * 60 * 1000;

export interface SignInInput {
  email: string;
  password: string;
  totp?: string;
  ip?: string;
  userAgent?: string;
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  storeIds: string[];
}

export type SignInResult = { ok: true; user: SignedInUser } | { ok: false; message: string };

/**
 * Credentials + TOTP (for admins). Every failure answers the same generic
 * message, whatever failed; five failures in 15 minutes lock the account for
 * 15 minutes; every attempt is written to login_attempts and the audit log.
 */
export async function signIn(db: Db, input: SignInInput, now = new Date()): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const user = await db.user.findUnique({ where: { email }, include: { stores: true } });

  const recentFailures = await db.loginAttempt.count({
    where: { email, success: false, at: { gt: new Date(now.getTime() - LOCK_WINDOW_MS) } },
  });
  const locked = (user?.lockedUntil && user.lockedUntil > now) || recentFailures >= MAX_FAILURES;

  // Always run the KDF so that a missing account and a wrong password take as long.
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  let reason: string | null = null;
  if (!isActivePerson(user)) reason = "unknown_or_inactive_account";
  else if (locked) reason = "account_locked";
  else if (!passwordOk) reason = "wrong_password";
  else if (user.role === "system_admin" && !(user.totpSecret && input.totp && verifyTotp(user.totpSecret, input.totp, now.getTime())))
    reason = input.totp ? "wrong_totp" : "missing_totp";

  await db.loginAttempt.create({
    data: { email, userId: user?.id ?? null, success: reason === null, reason: reason ?? "ok", ip: input.ip, userAgent: input.userAgent, at: now },
  });
  if (user && reason !== null && reason !== "account_locked" && recentFailures + 1 >= MAX_FAILURES) {
    await db.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(now.getTime() + LOCK_WINDOW_MS) } });
  }
  await recordAudit(db, {
    actorType: user ? "user" : "anonymous",
    actorId: user?.id ?? null,
    action: reason === null ? "auth.sign_in" : "auth.sign_in_failed",
    entity: "user",
    entityId: user?.id,
    ip: input.ip,
    userAgent: input.userAgent,
    channel: "web",
    details: { email, reason: reason ?? "ok" },
  });

  if (reason !== null || !user) return { ok: false, message: SIGN_IN_FAILED };
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, storeIds: user.stores.map((s) => s.storeId) },
  };
}
