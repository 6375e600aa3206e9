import pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { Actor } from "@/server/auth/permissions";
import { getConfig } from "@/server/config";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";

/*
 * Request limits shared by every app instance: counters in PostgreSQL (table rate_limits, through
 * rate-limiter-flexible), per minute:
 *   an API key          its own limit (admin console) or RATE_LIMIT_API_KEY_PER_MINUTE (60,000)
 *   a signed-in person  RATE_LIMIT_USER_PER_MINUTE (6,000), browser session or CRM frame
 *   unknown API keys    API_AUTH_FAILURES_PER_MINUTE (30) per client address (client-address.ts)
 * A key is looked up before its address's failures are counted, so one client looping on a
 * revoked key never locks out the valid keys behind the same address; only its own unknown keys
 * get 429. Should the database not answer, an in-process counter stands in (insurance), so a
 * counter never turns a request into a 5xx.
 */

const WINDOW_S = 60;

function perMinute(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of requests per minute, got ${process.env[name]}`);
  return value;
}

export const rateLimitDefaults = () => ({
  apiKey: perMinute("RATE_LIMIT_API_KEY_PER_MINUTE", 60_000),
  user: perMinute("RATE_LIMIT_USER_PER_MINUTE", 6_000),
  unknownKey: getConfig().apiAuthFailuresPerMinute,
});

let pool: pg.Pool | null = null;
const limiters = new Map<string, RateLimiterPostgres>();

function limiter(bucket: string, points: number): RateLimiterPostgres {
  const name = `${bucket}:${points}`;
  let found = limiters.get(name);
  if (!found) {
    pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
    found = new RateLimiterPostgres({
      storeClient: pool,
      tableName: "rate_limits",
      tableCreated: true,
      keyPrefix: bucket,
      points,
      duration: WINDOW_S,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: bucket, points, duration: WINDOW_S }),
    });
    limiters.set(name, found);
  }
  return found;
}

export interface RateState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** Takes one request from the bucket; 429 RATE_LIMITED (with what the headers need) when it is empty. */
async function take(bucket: string, id: string, points: number, message: string): Promise<RateState> {
  try {
    const res = await limiter(bucket, points).consume(id, 1);
    return { limit: points, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new AppError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds, limit: points, remaining: 0, resetSeconds: retryAfterSeconds });
  }
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
