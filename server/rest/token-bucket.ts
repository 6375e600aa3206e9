import type pg from "pg";

/*
 * Token buckets for the request limits (issue 13 §5). A bucket holds up to `capacity` tokens and
 * refills continuously at `refillPerMs`; a request takes one token, and is refused while less than
 * one is left. In PostgreSQL (table rate_buckets) one statement refills and takes atomically, on
 * the database's clock unless the caller passes one (tests), so every app instance draws from the
 * same bucket. The same arithmetic in memory stands in when the database does not answer.
 */

export interface BucketShape {
  capacity: number;
  refillPerMs: number;
}

export interface BucketTake {
  allowed: boolean;
  /** Tokens left after this take (fractional: refilling continues). */
  tokens: number;
  capacity: number;
  /** Until one token is back: when a refused request may retry. */
  msUntilToken: number;
  /** Until the bucket is full again. */
  msUntilFull: number;
}

/** A limit of `perMinute` requests a minute, holding `burstSeconds` of it (at least one request). */
export function bucketShape(perMinute: number, burstSeconds: number): BucketShape {
  return { capacity: Math.max(1, (perMinute * burstSeconds) / 60), refillPerMs: perMinute / 60_000 };
}

/** The tokens after `elapsedMs` of refilling from `tokens`. */
export function refilled(tokens: number, elapsedMs: number, shape: BucketShape): number {
  return Math.min(shape.capacity, tokens + Math.max(0, elapsedMs) * shape.refillPerMs);
}

function describeTake(allowed: boolean, tokens: number, shape: BucketShape): BucketTake {
  return {
    allowed,
    tokens,
    capacity: shape.capacity,
    msUntilToken: tokens >= 1 ? 0 : Math.ceil((1 - tokens) / shape.refillPerMs),
    msUntilFull: Math.ceil((shape.capacity - tokens) / shape.refillPerMs),
  };
}

/** One take from the bucket at `nowMs`, given its state (undefined: a full, new bucket). Pure. */
export function takeToken(state: { tokens: number; updatedMs: number } | undefined, nowMs: number, shape: BucketShape): { take: BucketTake; next: { tokens: number; updatedMs: number } } {
  const level = state ? refilled(state.tokens, nowMs - state.updatedMs, shape) : shape.capacity;
  // A hair under 1 is floating point's refill (msUntilToken later), not a missing token.
  const allowed = level >= 1 - 1e-9;
  const tokens = allowed ? Math.max(0, level - 1) : level;
  return { take: describeTake(allowed, tokens, shape), next: { tokens, updatedMs: Math.max(nowMs, state?.updatedMs ?? nowMs) } };
}

// The refill, in SQL: b is the stored row, excluded the one offered (its updated_ms is now); $5 is
// how many tokens are taken, all or none (1 for a request; more for a process's lease).
const LEVEL = `least($2::float8, b.tokens + greatest(0, excluded.updated_ms - b.updated_ms)::float8 * $3::float8)`;
const TAKEN = `(${LEVEL} - CASE WHEN ${LEVEL} >= $5::float8 THEN $5::float8 ELSE 0 END)`;
const NOW = `coalesce($4::bigint, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)`;

// A take commits without waiting for its WAL to reach the disk (synchronous_commit off for this
// transaction only, so it holds behind PgBouncer too): every request of a key updates the key's one
// row, and with the flush inside the row lock a key's takes queued on the disk (≈ 2 ms each on the
// 2-core machine, 0.5 ms without). A crash may forget the last few takes, which only refills a bucket.
const TAKE_SQL = `
  INSERT INTO rate_buckets AS b (key, tokens, updated_ms, expires_ms, allowed)
  SELECT $1, $2::float8 - $5::float8, ${NOW}, ${NOW} + ceil($5::float8 / $3::float8)::bigint, true
    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed
  ON CONFLICT (key) DO UPDATE SET
    allowed = ${LEVEL} >= $5::float8,
    tokens = ${TAKEN},
    updated_ms = greatest(b.updated_ms, excluded.updated_ms),
    expires_ms = greatest(b.updated_ms, excluded.updated_ms) + ceil(($2::float8 - ${TAKEN}) / $3::float8)::bigint
  RETURNING tokens, allowed`;

/**
 * Takes `count` tokens (all or none; at most the capacity) from the bucket `key` in PostgreSQL:
 * refill and take in one atomic statement (the row lock of the upsert orders concurrent takes from
 * every instance). `nowMs` for tests; otherwise the database's clock, the one clock all instances share.
 */
export async function takeFromDatabase(pool: pg.Pool, key: string, shape: BucketShape, nowMs?: number, count = 1): Promise<BucketTake> {
  // Named: prepared once per connection, not parsed and planned on every request.
  const { rows } = await pool.query<{ tokens: number; allowed: boolean }>({ name: "pc_rate_bucket_take", text: TAKE_SQL, values: [key, shape.capacity, shape.refillPerMs, nowMs ?? null, count] });
  const row = rows[0]!;
  return describeTake(row.allowed, Number(row.tokens), shape);
}

/**
 * Deletes the buckets that are full again at `nowMs` (the database's clock when omitted): a
 * missing row is a full bucket, so this changes no limit. Returns how many went.
 */
export async function sweepFullBuckets(db: { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> }, nowMs?: number): Promise<number> {
  return db.$executeRawUnsafe(`DELETE FROM rate_buckets WHERE expires_ms <= coalesce($1::bigint, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)`, nowMs ?? null);
}

/**
 * How many tokens one process takes from a shared bucket at once, so that a busy key costs the
 * database one statement per lease rather than one per request: a two-hundredth of the capacity,
 * at most 50, and 1 (no lease: every take exact) for any limit under 400 a burst.
 */
export function leaseSize(shape: BucketShape): number {
  return Math.max(1, Math.min(50, Math.floor(shape.capacity / 200)));
}

/** How long a process may spend a lease's tokens; what is left then is dropped (the bucket refills it). */
export const LEASE_MS = 1_000;

/**
 * A process's leases: tokens already taken from the shared bucket, spent by this process's next
 * requests within LEASE_MS. `take` answers from a lease, or undefined when there is none to spend.
 */
export class TokenLeases {
  private readonly leases = new Map<string, { left: number; untilMs: number; take: BucketTake }>();
  /** A lease being taken from the database: the process's other misses of that key wait for it. */
  readonly taking = new Map<string, Promise<unknown>>();

  take(key: string, nowMs = Date.now()): BucketTake | undefined {
    const lease = this.leases.get(key);
    if (!lease || lease.left < 1 || nowMs >= lease.untilMs) return undefined;
    lease.left -= 1;
    // What the shared bucket held after the lease, plus what this process still holds of it.
    return { ...lease.take, tokens: lease.take.tokens + lease.left };
  }

  /**
   * A lease of `size` tokens just taken (the bucket's answer `take`); the request that took it
   * spends one. Tokens still unspent of a live lease are kept beside it, never dropped.
   */
  grant(key: string, size: number, take: BucketTake, nowMs = Date.now()): BucketTake {
    if (this.leases.size > 10_000) this.leases.clear();
    const live = this.leases.get(key);
    const kept = live && nowMs < live.untilMs ? live.left : 0;
    if (size > 1 || kept > 0) this.leases.set(key, { left: kept + size - 1, untilMs: nowMs + LEASE_MS, take });
    return { ...take, tokens: take.tokens + kept + size - 1 };
  }
}

/**
 * One token for a request, from this process's lease of the shared bucket or from the bucket. A busy
 * key's tokens come in leases (leaseSize: 50 of a 60,000 bucket) spent within LEASE_MS, so its
 * requests cost the database one statement a lease; when the bucket holds less than a lease, tokens
 * are taken one by one, so the limit and the 429 are the bucket's own. Concurrent misses of one
 * process wait for the one lease being taken and spend it, rather than each taking (and wasting) one.
 */
export async function takeLeased(pool: pg.Pool, leases: TokenLeases, key: string, shape: BucketShape, nowMs?: number): Promise<BucketTake> {
  const leaseKey = `${key}:${shape.capacity}:${shape.refillPerMs}`;
  const size = leaseSize(shape);
  for (;;) {
    const leased = leases.take(leaseKey, nowMs);
    if (leased) return leased;
    if (size === 1) return takeFromDatabase(pool, key, shape, nowMs);
    const pending = leases.taking.get(leaseKey);
    if (pending) {
      // Whether it was granted or refused, look again: a refused lease means the bucket is low.
      const refused = await pending.then(
        (t) => !(t as BucketTake).allowed,
        () => true,
      );
      if (refused) return takeFromDatabase(pool, key, shape, nowMs);
      continue;
    }
    const taking = takeFromDatabase(pool, key, shape, nowMs, size);
    leases.taking.set(leaseKey, taking);
    try {
      const lease = await taking;
      if (lease.allowed) return leases.grant(leaseKey, size, lease, nowMs);
    } finally {
      leases.taking.delete(leaseKey);
    }
    return takeFromDatabase(pool, key, shape, nowMs);
  }
}

/** In-process buckets: the stand-in when the database does not answer (never shared). */
export class MemoryBuckets {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  take(key: string, shape: BucketShape, nowMs = Date.now()): BucketTake {
    const { take, next } = takeToken(this.buckets.get(key), nowMs, shape);
    if (this.buckets.size > 100_000) this.buckets.clear();
    this.buckets.set(key, next);
    return take;
  }
}
