import { afterAll, describe, expect, it, vi } from "vitest";
import { getBusinessRulesForAdmin } from "@/server/admin/business-rules/get-business-rules-admin";
import { saveBusinessRules } from "@/server/admin/business-rules/save-business-rules";
import { revokeApiKey } from "@/server/admin/api-keys/revoke-api-key";
import { authenticateApiKey, flushApiKeyUsage, hashApiKey } from "@/server/auth/api-keys";
import { getBusinessRules } from "@/server/rules/business-rules";
import { previewCancellation } from "@/server/cancellations/preview-cancellation";
import { createApiKey, createUser } from "@/test/factories";
import { actorFor, importForTest, simpleOrder } from "@/test/saga-harness";
import { createDb, getDb, listenerFor } from "./client";

// Two clients with caches of their own, as two app processes have: what one changes, the
// other must not serve stale.
const db = getDb();
const other = createDb(process.env.DATABASE_URL!, 2);
afterAll(() => other.$disconnect());

const request = { orderLineIds: ["1"], quantities: [10], reason: "CUSTOMER_REQUEST", refundMethod: "original" };

async function lowerAgentLimit(usd: string) {
  const admin = await actorFor("system_admin");
  const before = await getBusinessRulesForAdmin({ db });
  return saveBusinessRules({ db, actor: admin }, { baseVersion: before.version, rules: { ...before.rules, agentLimits: { ...before.rules.agentLimits, USD: usd } } });
}

describe("caches invalidated by LISTEN/NOTIFY", () => {
  it("a saved limit applies to the very next preview in another client, even when its NOTIFY never arrives", async () => {
    const agent = await actorFor();
    const { orderId } = await importForTest(simpleOrder(10));
    expect((await previewCancellation({ db: other, actor: agent }, orderId, request)).approvalRequired).toBe(false);
    // The other client's cache now holds the rules in force; its notification is switched off.
    await db.$executeRawUnsafe(`ALTER TABLE business_rules DISABLE TRIGGER business_rules_notify`);
    try {
      await lowerAgentLimit("50.00");
      expect(await previewCancellation({ db: other, actor: agent }, orderId, request)).toMatchObject({ approvalRequired: true, approvalReasons: ["limit"] });
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE business_rules ENABLE TRIGGER business_rules_notify`);
    }
  });

  it("the cached rules of another client are dropped when the save's NOTIFY arrives", async () => {
    await getBusinessRules(other);
    await listenerFor(other)!.ready();
    const cached = await getBusinessRules(other);
    // Without a notification the other client keeps serving what it cached: proof that it caches.
    await db.$executeRawUnsafe(`ALTER TABLE business_rules DISABLE TRIGGER business_rules_notify`);
    try {
      await lowerAgentLimit("45.00");
      expect(await getBusinessRules(other)).toEqual(cached);
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE business_rules ENABLE TRIGGER business_rules_notify`);
    }
    const saved = await lowerAgentLimit("40.00");
    expect(saved.version).toBe(cached.version + 2);
    // The cache keeps entries for a minute without news; only the notification empties it sooner.
    await vi.waitFor(async () => expect((await getBusinessRules(other)).rules.agentLimits.USD).toBe("40.00"), { timeout: 15_000, interval: 20 });
  });

  it("API keys are cached per client, and a revocation or change elsewhere reaches every client", async () => {
    const service = await createUser({ role: "customer_service_agent" });
    const key = await createApiKey(service.id, ["orders:read"]);
    expect(await authenticateApiKey(other, key)).toMatchObject({ userId: service.id, scopes: ["orders:read"] });
    await listenerFor(other)!.ready();
    await authenticateApiKey(other, key);

    // Without a notification the other client keeps its cached key: proof that it caches.
    await db.$executeRawUnsafe(`ALTER TABLE api_keys DISABLE TRIGGER api_keys_notify`);
    try {
      await db.apiKey.update({ where: { keyHash: hashApiKey(key) }, data: { scopes: ["orders:read", "cancellations:write"] } });
      expect((await authenticateApiKey(other, key))!.scopes).toEqual(["orders:read"]);
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE api_keys ENABLE TRIGGER api_keys_notify`);
    }
    const row = await db.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(key) } });
    await revokeApiKey({ db, actor: await actorFor("system_admin") }, { apiKeyId: row.id });
    expect(await authenticateApiKey(db, key)).toBeNull();
    await vi.waitFor(async () => expect(await authenticateApiKey(other, key)).toBeNull(), { timeout: 15_000, interval: 20 });
  });

  it("a deactivated user's key stops working in every client", async () => {
    const service = await createUser({ role: "customer_service_agent" });
    const key = await createApiKey(service.id, ["orders:read"]);
    expect(await authenticateApiKey(other, key)).not.toBeNull();
    await db.user.update({ where: { id: service.id }, data: { active: false } });
    await vi.waitFor(async () => expect(await authenticateApiKey(other, key)).toBeNull(), { timeout: 15_000, interval: 20 });
  });

  it("last_used_at is written after the answer, at most once a minute per key", async () => {
    const service = await createUser({ role: "customer_service_agent" });
    const key = await createApiKey(service.id, ["orders:read"]);
    const where = { keyHash: hashApiKey(key) };
    await authenticateApiKey(db, key);
    expect((await db.apiKey.findUniqueOrThrow({ where })).lastUsedAt).toBeNull();
    await flushApiKeyUsage(db);
    const first = (await db.apiKey.findUniqueOrThrow({ where })).lastUsedAt;
    expect(first).not.toBeNull();
    for (let i = 0; i < 5; i++) await authenticateApiKey(db, key);
    await authenticateApiKey(other, key);
    await flushApiKeyUsage(db);
    await flushApiKeyUsage(other);
    expect((await db.apiKey.findUniqueOrThrow({ where })).lastUsedAt).toEqual(first);
  });

  it("a second copy of the client module in one process (npm start's direct route beside Next's bundle) finds the first's client and its LISTEN connection", async () => {
    const listener = listenerFor(db);
    expect(listener).not.toBeNull();
    vi.resetModules();
    const copy = (await import("./client")) as typeof import("./client");
    expect(copy.listenerFor).not.toBe(listenerFor); // a copy indeed, with module state of its own
    expect(copy.getDb()).toBe(db);
    expect(copy.listenerFor(db)).toBe(listener);
    expect(copy.listenerFor(other)).toBe(listenerFor(other));
  });
});
