import { afterEach, describe, expect, it } from "vitest";
import { GET as getOrderRoute } from "@/app/api/v1/orders/[orderId]/route";
import { setApiKeyRateLimit } from "@/server/admin/api-keys/set-api-key-rate-limit";
import { appRouter } from "@/server/api/root";
import { createCallerFactory } from "@/server/api/trpc";
import { clientAddress, PEER_ADDRESS_HEADER } from "@/server/auth/client-address";
import { hashApiKey } from "@/server/auth/api-keys";
import { getDb } from "@/server/db/client";
import { apiClient } from "@/test/rest";
import { actorFor } from "@/test/saga-harness";

const db = getDb();
const NIL = "00000000-0000-4000-8000-000000000000";

function get(key: string, headers: Record<string, string> = {}) {
  return getOrderRoute(new Request(`http://localhost/api/v1/orders/${NIL}`, { headers: { authorization: `Bearer ${key}`, "x-forwarded-for": "127.0.0.1", ...headers } }), {
    params: Promise.resolve({ orderId: NIL }),
  });
}

const keyIdOf = async (key: string) => (await db.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(key) } })).id;

afterEach(() => {
  delete process.env.TRUSTED_PROXIES;
  delete process.env.RATE_LIMIT_USER_PER_MINUTE;
});

describe("per API key", () => {
  it("an admin's per-key limit: RateLimit-* on every answer, then 429 with Retry-After; other keys go on", async () => {
    const { key } = await apiClient({ scopes: ["orders:read"] });
    const other = await apiClient({ scopes: ["orders:read"] });
    await setApiKeyRateLimit({ db, actor: await actorFor("system_admin") }, { apiKeyId: await keyIdOf(key), perMinute: 3 });
    for (let remaining = 2; remaining >= 0; remaining--) {
      const ok = await get(key);
      expect(ok.status).toBe(404);
      expect(ok.headers.get("ratelimit-limit")).toBe("3");
      expect(ok.headers.get("ratelimit-remaining")).toBe(String(remaining));
      expect(Number(ok.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    }
    const limited = await get(key);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect((await get(other.key)).status).toBe(404);
    // The count lives in PostgreSQL, where every app instance takes from the same bucket.
    const [row] = await db.$queryRaw<{ points: number }[]>`SELECT points FROM rate_limits WHERE key = ${`key:${await keyIdOf(key)}`}`;
    expect(row?.points).toBe(4);
  });

  it("the limit is a whole number from 1 to 1,000,000, or null for the default; changes are audited", async () => {
    const admin = await actorFor("system_admin");
    const { key } = await apiClient();
    const apiKeyId = await keyIdOf(key);
    for (const perMinute of [0, -1, 1.5, 1_000_001]) {
      await expect(setApiKeyRateLimit({ db, actor: admin }, { apiKeyId, perMinute })).rejects.toMatchObject({ name: "ZodError" });
    }
    expect(await setApiKeyRateLimit({ db, actor: admin }, { apiKeyId, perMinute: null })).toEqual({ apiKeyId, rateLimitPerMinute: null });
    await expect(setApiKeyRateLimit({ db, actor: admin }, { apiKeyId: NIL, perMinute: 5 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.auditLog.count({ where: { action: "api_key.rate_limit_changed", entityId: apiKeyId } })).toBe(1);
  });
});

describe("unknown keys, per client address", () => {
  it("an address that sent 30 unknown keys gets 429 for the next, while its valid keys and other addresses go on", async () => {
    const { key } = await apiClient({ scopes: ["orders:read"] });
    const from = (ip: string) => ({ "x-forwarded-for": ip });
    for (let i = 0; i < 30; i++) expect((await get(`pck_guess_${i}`, from("203.0.113.7"))).status).toBe(401);
    const throttled = await get("pck_guess_more", from("203.0.113.7"));
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await throttled.json()).error.code).toBe("RATE_LIMITED");
    // A failed key never locks out a valid one behind the same address.
    expect((await get(key, from("203.0.113.7"))).status).toBe(404);
    expect((await get("pck_guess_other", from("203.0.113.8"))).status).toBe(401);
  });

  it("a client that rotates X-Forwarded-For is still counted by its own address unless the hop is a trusted proxy", async () => {
    const peer = "198.51.100.20";
    for (let i = 0; i < 30; i++) expect((await get(`pck_rot_${i}`, { "x-forwarded-for": `10.9.${i}.1`, [PEER_ADDRESS_HEADER]: peer })).status).toBe(401);
    expect((await get("pck_rot_more", { "x-forwarded-for": "10.9.99.1", [PEER_ADDRESS_HEADER]: peer })).status).toBe(429);
    // Behind a trusted proxy, the address it saw is the client's: a new client is not throttled.
    process.env.TRUSTED_PROXIES = peer;
    expect((await get("pck_rot_proxied", { "x-forwarded-for": "10.9.100.1", [PEER_ADDRESS_HEADER]: peer })).status).toBe(401);
  });
});

describe("clientAddress", () => {
  const headers = (xff: string | null, peer: string | null) => {
    const h = new Headers();
    if (xff !== null) h.set("x-forwarded-for", xff);
    if (peer !== null) h.set(PEER_ADDRESS_HEADER, peer);
    return h;
  };
  it.each([
    ["1.1.1.1", "10.0.0.1", "", "10.0.0.1"],
    ["1.1.1.1", "10.0.0.1", "10.0.0.1", "1.1.1.1"],
    ["6.6.6.6, 1.1.1.1", "10.0.0.1", "10.0.0.1", "1.1.1.1"],
    ["6.6.6.6, 1.1.1.1, 10.0.0.2", "10.0.0.1", "10.0.0.1,10.0.0.2", "1.1.1.1"],
    ["1.1.1.1", "::ffff:10.0.0.1", "10.0.0.1", "1.1.1.1"],
    ["6.6.6.6, 1.1.1.1", null, "", "1.1.1.1"],
    [null, "10.0.0.1", "10.0.0.1", "10.0.0.1"],
  ])("X-Forwarded-For %j, peer %j, TRUSTED_PROXIES %j → %s", (xff, peer, trusted, expected) => {
    expect(clientAddress(headers(xff, peer), new Set(trusted.split(",").filter(Boolean)))).toBe(expected);
  });
});

describe("per signed-in user", () => {
  it("tRPC calls of one person share one bucket: TOO_MANY_REQUESTS once it is empty", async () => {
    process.env.RATE_LIMIT_USER_PER_MINUTE = "2";
    const actor = await actorFor("customer_service_agent");
    const caller = createCallerFactory(appRouter)({ db, actor });
    await caller.me();
    await caller.me();
    await expect(caller.me()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const someoneElse = createCallerFactory(appRouter)({ db, actor: await actorFor("customer_service_agent") });
    await expect(someoneElse.me()).resolves.toBeTruthy();
  });
});
