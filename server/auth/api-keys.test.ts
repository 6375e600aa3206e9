import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { createApiKey, createUser } from "@/test/factories";
import { authenticateApiKey, parseBearer } from "./api-keys";

const db = getDb();

describe("API keys", () => {
  it("authenticate as their service user with their scopes, stored only as a hash", async () => {
    const manager = await createUser({ role: "store_manager", stores: ["STORE-K1"] });
    const key = await createApiKey(manager.id, ["orders:read"]);
    const actor = await authenticateApiKey(db, key);
    expect(actor).toMatchObject({ kind: "api_key", userId: manager.id, role: "store_manager", storeIds: ["STORE-K1"], scopes: ["orders:read"] });
    expect(await db.apiKey.count({ where: { keyHash: key } })).toBe(0);
  });

  it("refuses unknown and revoked keys", async () => {
    const user = await createUser();
    const key = await createApiKey(user.id, ["orders:read"]);
    await db.apiKey.updateMany({ where: { userId: user.id }, data: { revokedAt: new Date() } });
    expect(await authenticateApiKey(db, key)).toBeNull();
    expect(await authenticateApiKey(db, "pck_unknown")).toBeNull();
  });

  it("parses only well-formed bearer headers", () => {
    expect(parseBearer("Bearer abc")).toBe("abc");
    expect(parseBearer("Basic abc")).toBeNull();
    expect(parseBearer(null)).toBeNull();
  });
});
