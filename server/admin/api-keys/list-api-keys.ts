import type { Db } from "@/server/db/client";

/** Every API key, by its prefix; the secret itself was only ever shown at creation. */
export async function listApiKeys({ db }: { db: Db }) {
  const [keys, serviceUsers] = await Promise.all([
    db.apiKey.findMany({
      orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
      include: { user: { select: { id: true, name: true, email: true, role: true, isServiceUser: true, active: true } } },
    }),
    db.user.findMany({ where: { isServiceUser: true, active: true }, orderBy: { name: "asc" }, select: { id: true, name: true, email: true, role: true } }),
  ]);
  return {
    serviceUsers: serviceUsers.map((u) => ({ userId: u.id, name: u.name, email: u.email, role: u.role })),
    keys: keys.map((k) => ({
      apiKeyId: k.id,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      rateLimitPerMinute: k.rateLimitPerMinute,
      user: { userId: k.user.id, name: k.user.name, email: k.user.email, role: k.user.role, isServiceUser: k.user.isServiceUser, active: k.user.active },
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  };
}
