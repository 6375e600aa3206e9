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

// The refill, in SQL: b is the stored row, excluded the one offered (its updated_ms is now).
const LEVEL = `least($2::float8, b.tokens + greatest(0, excluded.updated_ms - b.updated_ms)::float8 * $3::float8)`;
const TAKEN = `(${LEVEL} - CASE WHEN ${LEVEL} >= 1 THEN 1 ELSE 0 END)`;
const NOW = `coalesce($4::bigint, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)`;

// A take commits without waiting for its WAL to reach the disk (synchronous_commit off for this
// transaction only, so it holds behind PgBouncer too): every request of a key updates the key's one
// row, and with the flush inside the row lock a key's takes queued on the disk (≈ 2 ms each on the
// 2-core machine, 0.5 ms without). A crash may forget the last few takes, which only refills a bucket.
const TAKE_SQL = `
  INSERT INTO rate_buckets AS b (key, tokens, updated_ms, expires_ms, allowed)
  SELECT $1, $2::float8 - 1, ${NOW}, ${NOW} + ceil(1 / $3::float8)::bigint, true
    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed
  ON CONFLICT (key) DO UPDATE SET
    allowed = ${LEVEL} >= 1,
    tokens = ${TAKEN},
    updated_ms = greatest(b.updated_ms, excluded.updated_ms),
    expires_ms = greatest(b.updated_ms, excluded.updated_ms) + ceil(($2::float8 - ${TAKEN}) / $3::float8)::bigint
  RETURNING tokens, allowed`;

/**
 * Takes one token from the bucket `key` in PostgreSQL: refill and take in one atomic statement
 * (the row lock of the upsert orders concurrent takes from every instance). `nowMs` for tests;
 * otherwise the database's clock, the one clock all instances share.
 */
export async function takeFromDatabase(pool: pg.Pool, key: string, shape: BucketShape, nowMs?: number): Promise<BucketTake> {
  // Named: prepared once per connection, not parsed and planned on every request.
  const { rows } = await pool.query<{ tokens: number; allowed: boolean }>({ name: "pc_rate_bucket_take", text: TAKE_SQL, values: [key, shape.capacity, shape.refillPerMs, nowMs ?? null] });
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
