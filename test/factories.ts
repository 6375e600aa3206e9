import { randomUUID } from "node:crypto";
import { generateApiKey, hashApiKey } from "@/server/auth/api-keys";
import { hashPassword } from "@/server/auth/password";
import type { ApiScope, Role } from "@/server/auth/permissions";
import { newTotpSecret } from "@/server/auth/totp";
import { getDb } from "@/server/db/client";

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

let cachedHash: Promise<string> | undefined;

/** A user with unique email; password "pw-123456". */
export async function createUser(opts: { role?: Role; stores?: string[]; totp?: boolean } = {}) {
  const db = getDb();
  cachedHash ??= hashPassword("pw-123456");
  for (const id of opts.stores ?? []) await db.store.upsert({ where: { id }, update: {}, create: { id, name: id } });
  const totpSecret = opts.totp ? newTotpSecret() : null;
  const user = await db.user.create({
    data: {
      email: `${unique("user")}@test.example`,
      name: "Test User",
      role: opts.role ?? "customer_service_agent",
      passwordHash: await cachedHash,
      totpSecret,
      stores: { create: (opts.stores ?? []).map((storeId) => ({ storeId })) },
    },
  });
  return { ...user, password: "pw-123456", totpSecret };
}

export async function createApiKey(userId: string, scopes: ApiScope[]) {
  const key = generateApiKey();
  await getDb().apiKey.create({ data: { name: "test", prefix: key.slice(0, 7), keyHash: hashApiKey(key), scopes, userId } });
  return key;
}
