import { randomUUID } from "node:crypto";
import fc from "fast-check";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { bucketShape, LEASE_MS, leaseSize, MemoryBuckets, sweepFullBuckets, takeFromDatabase, takeLeased, takeToken, TokenLeases } from "./token-bucket";

/*
 * The token buckets on real PostgreSQL, with the clock passed in (no sleeps): two pools stand for
 * two app instances, each with its own connections.
 */
const instanceA = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const instanceB = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
afterAll(async () => {
  await instanceA.end();
  await instanceB.end();
});

const T = 1_900_000_000_000;
const fivePerMinute = bucketShape(5, 60); // capacity 5, one token back every 12 s

describe("token bucket (real PostgreSQL)", () => {
  it("allows a burst up to the capacity, then refuses with the time until the next token", async () => {
    const key = `test:${randomUUID()}`;
    const takes = [];
    for (let i = 0; i < 6; i++) takes.push(await takeFromDatabase(instanceA, key, fivePerMinute, T));
    expect(takes.map((t) => t.allowed)).toEqual([true, true, true, true, true, false]);
    expect(takes.slice(0, 5).map((t) => Math.floor(t.tokens))).toEqual([4, 3, 2, 1, 0]);
    expect(takes[5]!.msUntilToken).toBe(12_000);
    expect(takes[5]!.msUntilFull).toBe(60_000);
  });

  it("refills over time at the rate, never beyond the capacity", async () => {
    const key = `test:${randomUUID()}`;
    for (let i = 0; i < 5; i++) expect((await takeFromDatabase(instanceA, key, fivePerMinute, T)).allowed).toBe(true);
    expect((await takeFromDatabase(instanceA, key, fivePerMinute, T + 11_999)).allowed).toBe(false);
    expect((await takeFromDatabase(instanceA, key, fivePerMinute, T + 12_000)).allowed).toBe(true);
    expect((await takeFromDatabase(instanceA, key, fivePerMinute, T + 12_001)).allowed).toBe(false);
    // An hour later the bucket holds 5 again, not 300.
    const later = [];
    for (let i = 0; i < 6; i++) later.push((await takeFromDatabase(instanceA, key, fivePerMinute, T + 3_600_000)).allowed);
    expect(later).toEqual([true, true, true, true, true, false]);
  });

  it("two instances take from the same bucket: 40 simultaneous requests over both, exactly the capacity allowed", async () => {
    const key = `test:${randomUUID()}`;
    const shape = bucketShape(10, 60);
    const takes = await Promise.all(Array.from({ length: 40 }, (_, i) => takeFromDatabase(i % 2 ? instanceB : instanceA, key, shape, T)));
    expect(takes.filter((t) => t.allowed)).toHaveLength(10);
    // And on the database's own clock (no clock passed), as production runs.
    const live = `test:${randomUUID()}`;
    const onDbClock = await Promise.all(Array.from({ length: 30 }, (_, i) => takeFromDatabase(i % 2 ? instanceB : instanceA, live, bucketShape(6, 60))));
    expect(onDbClock.filter((t) => t.allowed)).toHaveLength(6);
  });

  it("the sweep deletes only buckets that are full again", async () => {
    const drained = `test:${randomUUID()}`;
    const touched = `test:${randomUUID()}`;
    for (let i = 0; i < 5; i++) await takeFromDatabase(instanceA, drained, fivePerMinute, T);
    await takeFromDatabase(instanceA, touched, fivePerMinute, T);
    const exists = async (key: string) => (await getDb().rateBucket.count({ where: { key } })) === 1;
    await sweepFullBuckets(getDb(), T + 11_999);
    expect([await exists(drained), await exists(touched)]).toEqual([true, true]);
    await sweepFullBuckets(getDb(), T + 12_000); // one token taken: full again after 12 s
    expect([await exists(drained), await exists(touched)]).toEqual([true, false]);
    await sweepFullBuckets(getDb(), T + 60_000);
    expect(await exists(drained)).toBe(false);
    // A swept bucket is a full one: the next take starts from the capacity.
    expect(Math.floor((await takeFromDatabase(instanceA, drained, fivePerMinute, T + 60_000)).tokens)).toBe(4);
  });

  it("the database and the in-memory stand-in decide every request alike (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 120 }), fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 40 }), async (perMinute, burst, gaps) => {
        const key = `prop:${randomUUID()}`;
        const shape = bucketShape(perMinute, burst);
        const memory = new MemoryBuckets();
        let now = T;
        for (const gap of gaps) {
          now += gap;
          const db = await takeFromDatabase(gaps.length % 2 ? instanceA : instanceB, key, shape, now);
          const mem = memory.take(key, shape, now);
          expect(db.allowed).toBe(mem.allowed);
          expect(db.tokens).toBeCloseTo(mem.tokens, 9);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

/** A pool that counts the statements sent through it. */
function countingPool() {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const counted = { pool, statements: 0 };
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = ((...args: unknown[]) => {
    counted.statements++;
    return query(...args);
  }) as typeof pool.query;
  return counted;
}

describe("leases: a process takes a busy key's tokens in batches (real PostgreSQL)", () => {
  const a = countingPool();
  const b = countingPool();
  afterAll(async () => {
    await a.pool.end();
    await b.pool.end();
  });

  it("the default API-key limit (60,000 a minute): 120 requests of one process cost 3 statements, and RateLimit-Remaining still counts down", async () => {
    const key = `lease:${randomUUID()}`;
    const shape = bucketShape(60_000, 60);
    expect(leaseSize(shape)).toBe(50);
    const leases = new TokenLeases();
    const before = a.statements;
    const takes = [];
    for (let i = 0; i < 120; i++) takes.push(await takeLeased(a.pool, leases, key, shape, T));
    expect(takes.every((t) => t.allowed)).toBe(true);
    expect(a.statements - before).toBe(3);
    expect(takes.map((t) => Math.floor(t.tokens)).slice(0, 3)).toEqual([59_999, 59_998, 59_997]);
    expect(takes[119]!.tokens).toBeCloseTo(60_000 - 120, 9);
  });

  it("200 requests of one process at once on a fresh 60,000 bucket: all allowed, about one statement per 50, no lease wasted", async () => {
    const key = `lease:${randomUUID()}`;
    const shape = bucketShape(60_000, 60);
    const leases = new TokenLeases();
    const before = a.statements;
    const takes = await Promise.all(Array.from({ length: 200 }, () => takeLeased(a.pool, leases, key, shape, T)));
    expect(takes.every((t) => t.allowed)).toBe(true);
    expect(a.statements - before).toBe(4);
    // The bucket gave out exactly the 200 tokens spent, not 50 for each request that found no lease.
    const { rows } = await a.pool.query<{ tokens: number }>("SELECT tokens FROM rate_buckets WHERE key = $1", [key]);
    expect(Number(rows[0]!.tokens)).toBeCloseTo(60_000 - 200, 9);
  });

  it("a lease is spent within LEASE_MS; what is left after it is dropped and the next request takes a new one", async () => {
    const key = `lease:${randomUUID()}`;
    const shape = bucketShape(60_000, 60);
    const leases = new TokenLeases();
    await takeLeased(a.pool, leases, key, shape, T);
    const before = a.statements;
    await takeLeased(a.pool, leases, key, shape, T + LEASE_MS - 1);
    expect(a.statements - before).toBe(0);
    await takeLeased(a.pool, leases, key, shape, T + LEASE_MS);
    expect(a.statements - before).toBe(1);
  });

  it("limits under 400 a burst are never leased: every take is the bucket's own", async () => {
    const key = `lease:${randomUUID()}`;
    const shape = bucketShape(300, 60);
    expect(leaseSize(shape)).toBe(1);
    const leases = new TokenLeases();
    const takes = [];
    for (let i = 0; i < 301; i++) takes.push((await takeLeased(b.pool, leases, key, shape, T)).allowed);
    expect(takes.filter(Boolean)).toHaveLength(300);
    expect(takes[300]).toBe(false);
  });

  it("two processes drawing from one bucket at one instant: never more than the capacity, and at most their unspent leases fewer (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 400, max: 800 }), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 60 }), async (perMinute, bursts) => {
        const key = `lease:${randomUUID()}`;
        const shape = bucketShape(perMinute, 60);
        const leases = { a: new TokenLeases(), b: new TokenLeases() };
        let allowed = 0;
        const onA: boolean[] = [];
        // Bursts of concurrent requests, each on one process; sometimes more than the capacity in all.
        for (const [first, n] of bursts) {
          const takes = await Promise.all(Array.from({ length: n }, () => (first ? takeLeased(a.pool, leases.a, key, shape, T) : takeLeased(b.pool, leases.b, key, shape, T))));
          for (const take of takes) {
            expect(take.tokens).toBeGreaterThanOrEqual(0);
            if (take.allowed) allowed++;
            onA.push(first);
          }
        }
        expect(allowed).toBeLessThanOrEqual(Math.floor(shape.capacity));
        expect(allowed).toBeGreaterThanOrEqual(Math.min(onA.length, Math.floor(shape.capacity) - 2 * (leaseSize(shape) - 1)));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe("token bucket arithmetic (property)", () => {
  it("over any window, no more requests pass than the capacity plus what the rate refilled", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 600 }), fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }), (perMinute, burst, gaps) => {
        const shape = bucketShape(perMinute, burst);
        let state: { tokens: number; updatedMs: number } | undefined;
        let now = 0;
        const passed: number[] = [];
        for (const gap of gaps) {
          now += gap;
          const { take, next } = takeToken(state, now, shape);
          state = next;
          if (take.allowed) passed.push(now);
          expect(take.tokens).toBeGreaterThanOrEqual(0);
          expect(take.tokens).toBeLessThanOrEqual(shape.capacity);
        }
        for (let i = 0; i < passed.length; i++) {
          for (let j = i; j < passed.length; j++) {
            expect(j - i + 1).toBeLessThanOrEqual(Math.floor(shape.capacity + (passed[j]! - passed[i]!) * shape.refillPerMs + 1e-9));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a request refused now passes once msUntilToken has gone by", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 600 }), (perMinute, burst) => {
        const shape = bucketShape(perMinute, burst);
        let state: { tokens: number; updatedMs: number } | undefined;
        let take = takeToken(state, 0, shape);
        while (take.take.allowed) {
          state = take.next;
          take = takeToken(state, 0, shape);
        }
        expect(takeToken(take.next, take.take.msUntilToken, shape).take.allowed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
