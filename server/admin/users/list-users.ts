import type { Db } from "@/server/db/client";
import { LOCK_WINDOW_MS } from "@/server/auth/sign-in";

/** Every account with its role, stores and recent failed sign-ins; secrets never leave the server. */
export async function listUsers({ db }: { db: Db }) {
  const since = new Date(Date.now() - 24 * 3_600_000);
  const [users, failures, stores] = await Promise.all([
    db.user.findMany({
      orderBy: [{ active: "desc" }, { email: "asc" }],
      include: { stores: { orderBy: { storeId: "asc" } }, _count: { select: { apiKeys: { where: { revokedAt: null } } } } },
    }),
    db.loginAttempt.groupBy({ by: ["email"], where: { success: false, at: { gt: since } }, _count: { _all: true } }),
    db.store.findMany({ orderBy: { id: "asc" } }),
  ]);
  const failedByEmail = new Map(failures.map((f) => [f.email, f._count._all]));
  const now = Date.now();
  return {
    stores: stores.map((s) => ({ id: s.id, name: s.name })),
    lockWindowMinutes: LOCK_WINDOW_MS / 60_000,
    users: users.map((u) => ({
      userId: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      storeIds: u.stores.map((s) => s.storeId),
      active: u.active,
      isServiceUser: u.isServiceUser,
      hasTotp: u.totpSecret !== null,
      lockedUntil: u.lockedUntil && u.lockedUntil.getTime() > now ? u.lockedUntil.toISOString() : null,
      failedSignIns24h: failedByEmail.get(u.email) ?? 0,
      activeApiKeys: u._count.apiKeys,
      createdAt: u.createdAt.toISOString(),
    })),
  };
}
