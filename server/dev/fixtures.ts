import { hashApiKey } from "@/server/auth/api-keys";
import { hashPassword } from "@/server/auth/password";
import type { Role } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";

// Development fixtures of SPEC §7. Never created in production.
export const DEV_PASSWORD = "demo-password";
export const DEV_ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export const DEV_STORES = [
  { id: "STORE-001", name: "Downtown Flagship" },
  { id: "STORE-002", name: "Riverside Mall" },
  { id: "STORE-003", name: "Airport Outlet" },
];

export const DEV_USERS: { email: string; name: string; role: Role; stores: string[]; totp?: boolean }[] = [
  { email: "agent@example.com", name: "Alex Agent", role: "customer_service_agent", stores: [] },
  { email: "manager@example.com", name: "Morgan Manager", role: "store_manager", stores: ["STORE-001", "STORE-002"] },
  { email: "manager3@example.com", name: "Sam Manager", role: "store_manager", stores: ["STORE-003"] },
  { email: "admin@example.com", name: "Ada Admin", role: "system_admin", stores: [], totp: true },
];

export const DEV_API_KEYS = [
  { key: "dev-agent-key", name: "Dev agent key", userEmail: "agent@example.com", scopes: ["orders:read", "orders:write", "cancellations:write"] },
  { key: "dev-manager-key", name: "Dev manager key", userEmail: "manager@example.com", scopes: ["orders:read", "orders:write", "cancellations:write", "cancellations:approve"] },
  { key: "dev-admin-key", name: "Dev admin key", userEmail: "admin@example.com", scopes: ["orders:read", "orders:write", "cancellations:write", "cancellations:approve"] },
  { key: "dev-integration-key", name: "Dev integration (e-commerce)", userEmail: "integration@example.com", scopes: ["orders:read", "orders:write"] },
];

/** Stores, users (incl. the integration's service user) and API keys; safe to run twice. */
export async function seedAccounts(db: Db) {
  for (const store of DEV_STORES) {
    await db.store.upsert({ where: { id: store.id }, update: {}, create: store });
  }
  const passwordHash = await hashPassword(DEV_PASSWORD);
  const accounts = [
    ...DEV_USERS.map((u) => ({ ...u, service: false })),
    { email: "integration@example.com", name: "E-commerce integration", role: "customer_service_agent" as Role, stores: [], service: true },
  ];
  for (const u of accounts) {
    await db.user.upsert({
      where: { email: u.email },
      update: {},
      create: {
        email: u.email,
        name: u.name,
        role: u.role,
        passwordHash,
        isServiceUser: u.service,
        totpSecret: "totp" in u && u.totp ? DEV_ADMIN_TOTP_SECRET : null,
        stores: { create: u.stores.map((storeId) => ({ storeId })) },
      },
    });
  }
  for (const k of DEV_API_KEYS) {
    const user = await db.user.findUniqueOrThrow({ where: { email: k.userEmail } });
    await db.apiKey.upsert({
      where: { keyHash: hashApiKey(k.key) },
      update: {},
      create: { name: k.name, prefix: k.key.slice(0, 7), keyHash: hashApiKey(k.key), scopes: k.scopes, userId: user.id },
    });
  }
}
