import pg from "pg";
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/generated/prisma/client";

/** First key of the two-key advisory lock: the saga runners' namespace ("SAGA"). */
const SAGA_LOCK_CLASS = 0x53414741;

/** The second key: the cancellation id's 128 bits folded to 32 (a collision only makes one runner wait). */
export function sagaLockKey(cancellationId: string): number {
  const hex = cancellationId.replaceAll("-", "");
  let key = 0;
  for (let i = 0; i < hex.length; i += 8) key ^= Number.parseInt(hex.slice(i, i + 8), 16) | 0;
  return key;
}

export class SagaLeaseLost extends Error {
  constructor(cancellationId: string) {
    super(`saga runner for cancellation ${cancellationId} no longer holds its lock; stopping without acting`);
    this.name = "SagaLeaseLost";
  }
}

export interface SagaLease {
  /** Throws SagaLeaseLost unless this runner still holds the lock; run inside each step's transaction. */
  assertHeld(tx: Prisma.TransactionClient): Promise<void>;
  release(): Promise<void>;
}

/**
 * Lock connections, one pool per database, kept open between runs: a fresh PostgreSQL
 * session per saga run (a backend to fork and warm) cost more than the rest of the run.
 */
const pools = new Map<string, pg.Pool>();
const guarded = new WeakSet<pg.PoolClient>();

function poolFor(databaseUrl: string): pg.Pool {
  let pool = pools.get(databaseUrl);
  if (!pool) {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 64, idleTimeoutMillis: 10_000, allowExitOnIdle: true, application_name: "saga-lease" });
    // A dropped idle connection leaves the pool; it never crashes the process.
    pool.on("error", () => {});
    pools.set(databaseUrl, pool);
  }
  return pool;
}

/** Closes the lock connections (a stopping worker, a test that drops its database). */
export async function closeSagaLeases(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end().catch(() => {})));
}

/**
 * One runner per saga (SPEC §6): a session-level advisory lock on a dedicated
 * connection that stays checked out for the whole run, so a runner that dies (or
 * loses its connection) gives the lock up at once, and a second runner (a
 * stolen job lock, a direct call) finds it taken and backs off. Null when
 * another runner holds it. The connection is named `saga:<cancellation id>`
 * while it holds the lock and goes back to its pool, unlocked, after the run.
 */
export async function acquireSagaLease(databaseUrl: string, cancellationId: string): Promise<SagaLease | null> {
  const client = await poolFor(databaseUrl).connect();
  if (!guarded.has(client)) {
    // A dropped connection is noticed by assertHeld (the lock is gone); it must not crash the process.
    client.on("error", () => {});
    guarded.add(client);
  }
  const key = sagaLockKey(cancellationId);
  let pid: number;
  try {
    const { rows } = await client.query<{ taken: boolean; pid: number }>(
      "SELECT pg_try_advisory_lock($1::int, $2::int) AS taken, pg_backend_pid() AS pid, set_config('application_name', $3, false)",
      [SAGA_LOCK_CLASS, key, `saga:${cancellationId}`],
    );
    if (!rows[0]!.taken) {
      await client.query("SELECT set_config('application_name', 'saga-lease', false)");
      client.release();
      return null;
    }
    pid = rows[0]!.pid;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  let released = false;
  return {
    async assertHeld(tx) {
      // pg_locks shows the two-key form as classid/objid (the keys as unsigned oids), objsubid 2.
      const held = await tx.$queryRaw<{ held: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND pid = ${pid}::int AND objsubid = 2
            AND classid = ${SAGA_LOCK_CLASS}::bigint::oid AND objid = ${key >>> 0}::bigint::oid) AS held`;
      if (!held[0]?.held) throw new SagaLeaseLost(cancellationId);
    },
    async release() {
      if (released) return;
      released = true;
      try {
        // Unlocked and renamed before it goes back; a connection that cannot say so is closed (which releases its locks).
        const { rows } = await client.query<{ unlocked: boolean }>("SELECT pg_advisory_unlock($1::int, $2::int) AS unlocked, set_config('application_name', 'saga-lease', false)", [SAGA_LOCK_CLASS, key]);
        client.release(rows[0]?.unlocked ? undefined : new Error("saga lock was no longer held"));
      } catch (error) {
        client.release(error as Error);
      }
    },
  };
}

/**
 * The saga's database handle while it holds a lease: every interactive
 * transaction a step opens first proves the lease is still held, so a runner
 * whose lock was lost (its connection dropped, another runner took over)
 * commits nothing more.
 */
export function fencedDb(db: Db, lease: SagaLease): Db {
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === "$transaction") {
        return (arg: unknown, options?: unknown) => {
          if (typeof arg !== "function") throw new Error("saga steps use interactive transactions, which the saga lease fences");
          const fn = arg as (tx: Prisma.TransactionClient) => Promise<unknown>;
          return target.$transaction(async (tx) => {
            await lease.assertHeld(tx);
            return fn(tx);
          }, options as Parameters<Db["$transaction"]>[1]);
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
