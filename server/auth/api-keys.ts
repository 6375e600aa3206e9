import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/server/db/client";
import { API_SCOPES, type Actor, type ApiScope, storeFilterFor } from "./permissions";

// API keys carry 256 bits of randomness, so one SHA-256 is enough to store them;
// a slow KDF would only slow every request down.
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): string {
  return `pck_${randomBytes(32).toString("base64url")}`;
}

export function parseBearer(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

/** The actor behind an API key, or null when the key is unknown, revoked or its user inactive. */
export async function authenticateApiKey(
  db: Db,
  key: string,
  meta: { ip?: string; userAgent?: string } = {},
): Promise<Actor | null> {
  const apiKey = await db.apiKey.findUnique({
    where: { keyHash: hashApiKey(key) },
    include: { user: { include: { stores: true } } },
  });
  if (!apiKey || apiKey.revokedAt || !apiKey.user.active) return null;
  // Last-used is informative; a minute's precision spares a write per request.
  if (!apiKey.lastUsedAt || Date.now() - apiKey.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: apiKey.id }, data: { lastUsedAt: new Date() } });
  }
  const user = apiKey.user;
  return {
    kind: "api_key",
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    storeIds: storeFilterFor(user.role, user.stores.map((s) => s.storeId)),
    scopes: apiKey.scopes.filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s)),
    apiKeyId: apiKey.id,
    ip: meta.ip,
    userAgent: meta.userAgent,
    channel: "api",
  };
}
