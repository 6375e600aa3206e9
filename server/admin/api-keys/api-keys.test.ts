import { describe, expect, it } from "vitest";
import { authenticateApiKey, flushApiKeyUsage, hashApiKey } from "@/server/auth/api-keys";
import { getDb } from "@/server/db/client";
import { actorFor } from "@/test/saga-harness";
import { createUser } from "../users/create-user";
import { createApiKey } from "./create-api-key";
import { listApiKeys } from "./list-api-keys";
import { revokeApiKey } from "./revoke-api-key";
import { unique } from "@/test/factories";

const db = getDb();

describe("API keys", () => {
  it("shows the secret once, stores only its SHA-256, acts as the service user with its scopes, and stops when revoked", async () => {
    const admin = await actorFor("system_admin");
    const pos = await createUser({ db, actor: admin }, { email: `${unique("pos")}@service.example`, name: "POS backend", role: "customer_service_agent", serviceUser: true });
    expect(pos.temporaryPassword).toBeNull();

    const created = await createApiKey({ db, actor: admin }, { name: "POS", userId: pos.userId, scopes: ["orders:read", "cancellations:write", "orders:read"] });
    expect(created.secret).toMatch(/^pck_/);
    expect(created.scopes).toEqual(["orders:read", "cancellations:write"]);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: created.apiKeyId } });
    expect(row.keyHash).toBe(hashApiKey(created.secret));
    expect(JSON.stringify(row)).not.toContain(created.secret);
    expect(created.secret.startsWith(row.prefix)).toBe(true);

    const actor = await authenticateApiKey(db, created.secret);
    // last_used_at is written off the request path, within seconds; flushed here to read it.
    await flushApiKeyUsage(db);
    expect(actor).toMatchObject({ kind: "api_key", userId: pos.userId, scopes: ["orders:read", "cancellations:write"] });
    const listed = (await listApiKeys({ db })).keys.find((k) => k.apiKeyId === created.apiKeyId)!;
    expect(listed).toMatchObject({ prefix: row.prefix, user: { userId: pos.userId, isServiceUser: true }, revokedAt: null });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(await listApiKeys({ db }))).not.toContain(created.secret);

    await revokeApiKey({ db, actor: admin }, { apiKeyId: created.apiKeyId });
    expect(await authenticateApiKey(db, created.secret)).toBeNull();
    await expect(revokeApiKey({ db, actor: admin }, { apiKeyId: created.apiKeyId })).rejects.toMatchObject({ code: "INVALID_STATE" });
    expect(await db.auditLog.count({ where: { entityId: created.apiKeyId, action: { in: ["api_key.created", "api_key.revoked"] } } })).toBe(2);
  });

  it("are only for active service users, with at least one known scope", async () => {
    const admin = await actorFor("system_admin");
    const person = await actorFor("customer_service_agent");
    await expect(createApiKey({ db, actor: admin }, { name: "x", userId: person.userId, scopes: ["orders:read"] })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const svc = await createUser({ db, actor: admin }, { email: `${unique("svc")}@service.example`, name: "Svc", role: "customer_service_agent", serviceUser: true });
    await expect(createApiKey({ db, actor: admin }, { name: "x", userId: svc.userId, scopes: [] })).rejects.toThrow();
    await expect(createApiKey({ db, actor: admin }, { name: "x", userId: svc.userId, scopes: ["admin:everything"] })).rejects.toThrow();
  });
});
