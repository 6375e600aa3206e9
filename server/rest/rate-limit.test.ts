import net from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { GET as getOrderRoute } from "@/app/api/v1/orders/[orderId]/route";
import { setApiKeyRateLimit } from "@/server/admin/api-keys/set-api-key-rate-limit";
import { appRouter } from "@/server/api/root";
import { createCallerFactory } from "@/server/api/trpc";
import { clientAddress, PEER_ADDRESS_HEADER } from "@/server/auth/client-address";
import { hashApiKey } from "@/server/auth/api-keys";
import { reloadConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { createLogger, replaceLogger } from "@/server/observability/logger";
import { createBucketPool, useBucketPool } from "./rate-limit";
import { apiClient } from "@/test/rest";
import { actorFor } from "@/test/saga-harness";
import { until } from "@/test/support/until";

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
  reloadConfig();
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
    // The bucket lives in PostgreSQL, where every app instance takes from it: empty, the last take refused.
    const row = await db.rateBucket.findUniqueOrThrow({ where: { key: `key:${await keyIdOf(key)}` } });
    expect(row.tokens).toBeLessThan(1);
    expect(row.allowed).toBe(false);
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
    reloadConfig();
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
    reloadConfig();
    const actor = await actorFor("customer_service_agent");
    const caller = createCallerFactory(appRouter)({ db, actor });
    await caller.me();
    await caller.me();
    await expect(caller.me()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const someoneElse = createCallerFactory(appRouter)({ db, actor: await actorFor("customer_service_agent") });
    await expect(someoneElse.me()).resolves.toBeTruthy();
  });
});

describe("the buckets' own connection pool", () => {
  function captureLogs() {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    return { lines, restore: replaceLogger(createLogger({ level: "info", destination })) };
  }

  it("a database that accepts but never answers: the connection times out and the in-process bucket answers, logged", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const pool = createBucketPool(`postgres://pc:pc@127.0.0.1:${(silent.address() as net.AddressInfo).port}/pc`, 300);
    useBucketPool(pool);
    const { lines, restore } = captureLogs();
    try {
      const { key } = await apiClient({ scopes: ["orders:read"] });
      const answer = await get(key);
      expect(answer.status).toBe(404);
      expect(answer.headers.get("ratelimit-limit")).not.toBeNull();
      expect(lines).toContainEqual(expect.objectContaining({ level: "warn", msg: "rate limit: the database did not answer; an in-process bucket stands in" }));
    } finally {
      restore();
      useBucketPool(null);
      await pool.end();
      silent.close();
    }
  });

  it("an idle bucket connection the server ends is logged and replaced, not thrown (pg.Pool's unheard 'error' would end the process)", async () => {
    const pool = createBucketPool(process.env.DATABASE_URL!);
    useBucketPool(pool);
    const { lines, restore } = captureLogs();
    try {
      const { key } = await apiClient({ scopes: ["orders:read"] });
      expect((await get(key)).status).toBe(404);
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      client.release();
      await db.$executeRaw`SELECT pg_terminate_backend(${rows[0]!.pid}::int)`;
      await until("the pool's warning", async () => lines.some((l) => l.level === "warn"), { timeoutMs: 15_000, everyMs: 20 });
      expect(lines).toContainEqual(expect.objectContaining({ level: "warn", msg: "rate limit: an idle bucket connection failed; the pool replaces it" }));
      expect((await get(key)).status).toBe(404);
    } finally {
      restore();
      useBucketPool(null);
      await pool.end();
    }
  });
});
