import pg from "pg";
import type { Actor } from "@/server/auth/permissions";
import { getConfig } from "@/server/config";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { logger } from "@/server/observability/logger";
import { type BucketShape, type BucketTake, bucketShape, MemoryBuckets, sweepFullBuckets, takeLeased, TokenLeases } from "./token-bucket";

/*
 * Request limits shared by every app instance: token buckets in PostgreSQL (table rate_buckets,
 * token-bucket.ts), refilled continuously at a per-minute rate and holding RATE_LIMIT_BURST_SECONDS
 * of it (60: a minute's worth may come at once), so a client may burst and then goes on at the rate:
 *   an API key          its own limit (admin console) or RATE_LIMIT_API_KEY_PER_MINUTE (60,000)
 *   a signed-in person  RATE_LIMIT_USER_PER_MINUTE (6,000), browser session or CRM frame
 *   unknown API keys    API_AUTH_FAILURES_PER_MINUTE (30) per client address (client-address.ts)
 * A key is looked up before its address's failures are counted, so one client looping on a
 * revoked key never locks out the valid keys behind the same address; only its own unknown keys
 * get 429. Should the database not answer, in-process buckets stand in (insurance), so a limit
 * never turns a request into a 5xx. Buckets full again are swept by the worker (sweepRateBuckets).
 * A busy key's tokens are taken in leases of up to 50 a process (token-bucket.ts, takeLeased), so
 * its requests cost the database one statement per lease, not one each.
 */

let pool: pg.Pool | null = null;
const insurance = new MemoryBuckets();
const leases = new TokenLeases();
/** A request waits at most this long for a bucket connection before the in-process bucket stands in. */
export const BUCKET_CONNECT_TIMEOUT_MS = 1_000;

/**
 * The buckets' own small pool. An idle client's error (the database restarted, a network cut) is
 * logged, never thrown: without a listener pg.Pool's 'error' would end the process.
 */
export function createBucketPool(connectionString: string | undefined, connectionTimeoutMillis = BUCKET_CONNECT_TIMEOUT_MS): pg.Pool {
  const created = new pg.Pool({ connectionString, max: 3, connectionTimeoutMillis });
  created.on("error", (error) => logger().warn({ err: error }, "rate limit: an idle bucket connection failed; the pool replaces it"));
  return created;
}

function bucketPool(): pg.Pool {
  pool ??= createBucketPool(getConfig().databaseUrl);
  return pool;
}

/** Tests: the pool the buckets use (null: the default one, made on first use). */
export function useBucketPool(next: pg.Pool | null): void {
  pool = next;
}

function shapeFor(perMinute: number): BucketShape {
  return bucketShape(perMinute, getConfig().rateLimits.burstSeconds);
}

export const rateLimitDefaults = () => {
  const limits = getConfig().rateLimits;
  return { apiKey: limits.apiKeyPerMinute, user: limits.userPerMinute, unknownKey: limits.unknownKeyPerMinute };
};

async function takeShared(key: string, shape: BucketShape): Promise<BucketTake> {
  try {
    return await takeLeased(bucketPool(), leases, key, shape);
  } catch (error) {
    logger().warn({ err: error }, "rate limit: the database did not answer; an in-process bucket stands in");
    return insurance.take(key, shape);
  }
}

/** The worker's sweep: buckets that are full again hold nothing a missing row would not. */
export async function sweepRateBuckets(db: Db): Promise<number> {
  return sweepFullBuckets(db);
}

export interface RateState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** Takes one request from the bucket; 429 RATE_LIMITED (with what the headers need) when it is empty. */
async function take(bucket: string, id: string, perMinute: number, message: string): Promise<RateState> {
  const shape = shapeFor(perMinute);
  const t = await takeShared(`${bucket}:${id}`, shape);
  const limit = Math.floor(shape.capacity);
  const resetSeconds = Math.max(1, Math.ceil(t.msUntilFull / 1000));
  if (t.allowed) return { limit, remaining: Math.floor(t.tokens), resetSeconds };
  const retryAfterSeconds = Math.max(1, Math.ceil(t.msUntilToken / 1000));
  throw new AppError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds, limit, remaining: 0, resetSeconds });
}

// A key's own limit, re-read at most every 10 s, so that a change in the admin console applies
// within seconds without a database read per request.
const keyLimits = new Map<string, { limit: number | null; at: number }>();
const KEY_LIMIT_TTL_MS = 10_000;

async function keyLimit(db: Db, apiKeyId: string): Promise<number> {
  const cached = keyLimits.get(apiKeyId);
  if (cached && Date.now() - cached.at < KEY_LIMIT_TTL_MS) return cached.limit ?? rateLimitDefaults().apiKey;
  const row = await db.apiKey.findUnique({ where: { id: apiKeyId }, select: { rateLimitPerMinute: true } });
  const limit = row?.rateLimitPerMinute ?? null;
  if (keyLimits.size > 10_000) keyLimits.clear();
  keyLimits.set(apiKeyId, { limit, at: Date.now() });
  return limit ?? rateLimitDefaults().apiKey;
}

/** The caller's own bucket: its API key's, or the signed-in person's. */
export async function takeCallerToken(db: Db, actor: Actor): Promise<RateState> {
  if (actor.kind === "api_key" && actor.apiKeyId) {
    return take("key", actor.apiKeyId, await keyLimit(db, actor.apiKeyId), "This API key sent too many requests; slow down and retry after the time in Retry-After.");
  }
  return take("user", actor.userId, rateLimitDefaults().user, "Too many requests; retry after the time in Retry-After.");
}

/** One more unknown or revoked key from this address; 429 once there were too many this minute. */
export async function countUnknownKey(address: string): Promise<void> {
  await take("unknown-key", address, rateLimitDefaults().unknownKey, "Too many failed authentications from this address; try again later.");
}

/** The RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers) and, on 429, Retry-After. */
export function rateLimitHeaders(state: RateState | undefined, retryAfterSeconds?: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (state) Object.assign(headers, { "RateLimit-Limit": String(state.limit), "RateLimit-Remaining": String(state.remaining), "RateLimit-Reset": String(state.resetSeconds) });
  if (retryAfterSeconds) headers["Retry-After"] = String(retryAfterSeconds);
  return headers;
}
