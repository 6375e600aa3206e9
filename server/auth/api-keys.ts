import { createHash, randomBytes } from "node:crypto";
import { type Db, listenerFor } from "@/server/db/client";
import { NotifiedCache } from "@/server/db/notified-cache";
import { API_SCOPES, type Actor, type ApiScope, type Role, storeFilterFor } from "./permissions";
import { logger } from "@/server/observability/logger";

// API keys carry 256 bits of randomness, so one SHA-256 is enough to store them;
// a slow KDF would only slow every request down.
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): string {
  return `pck_${randomBytes(32).toString("base64url")}`;
}

export function parseBearer(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

type KeyActor = Omit<Actor, "ip" | "userAgent">;

interface KeyState {
  cache: NotifiedCache<KeyActor | null>;
  /** Key id → when this process last wrote its last_used_at (ms), and a use not written yet. */
  usage: Map<string, { writtenAt: number; pending: Date | null }>;
  flushing: Promise<void> | null;
  timer: NodeJS.Timeout | null;
}

const states = new WeakMap<Db, KeyState>();
const USAGE_PRECISION_MS = 60_000;
const FLUSH_EVERY_MS = 5_000;

function stateOf(db: Db): KeyState {
  let state = states.get(db);
  if (!state) {
    // Keys, their users and the users' stores change rarely; a trigger NOTIFYs auth_changed
    // when they do (migration 20261201073500), and every process empties its cache.
    const cache = new NotifiedCache<KeyActor | null>(listenerFor(db), ["auth_changed"], { ttlMs: 60_000, maxEntries: 10_000 });
    state = { cache, usage: new Map(), flushing: null, timer: null };
    states.set(db, state);
  }
  return state;
}

/** Empties this process's key cache at once (a change made here; other processes hear the NOTIFY). */
export function apiKeysChanged(db: Db): void {
  states.get(db)?.cache.clear();
}

async function loadKeyActor(db: Db, keyHash: string): Promise<KeyActor | null> {
  const apiKey = await db.apiKey.findUnique({ where: { keyHash }, include: { user: { include: { stores: true } } } });
  if (!apiKey || apiKey.revokedAt || !apiKey.user.active) return null;
  const user = apiKey.user;
  return {
    kind: "api_key",
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    storeIds: storeFilterFor(user.role as Role, user.stores.map((s) => s.storeId)),
    scopes: apiKey.scopes.filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s)),
    apiKeyId: apiKey.id,
    channel: "api",
  };
}

/**
 * The actor behind an API key, or null when the key is unknown, revoked or its user inactive.
 * Known keys are cached in process (an unknown key always asks the database, so guessing
 * fills nothing); the cache empties on every change to keys, users or their stores.
 */
export async function authenticateApiKey(db: Db, key: string, meta: { ip?: string; userAgent?: string } = {}): Promise<Actor | null> {
  const state = stateOf(db);
  const found = await state.cache.get(hashApiKey(key), () => loadKeyActor(db, hashApiKey(key)), (a) => a !== null);
  if (!found) return null;
  noteUse(db, state, found.apiKeyId!);
  return { ...found, ip: meta.ip, userAgent: meta.userAgent };
}

// last_used_at is informative: written at most once a minute per key, after the answer, in
// one statement for every key used since the last write.
function noteUse(db: Db, state: KeyState, apiKeyId: string) {
  const now = Date.now();
  const u = state.usage.get(apiKeyId);
  if (u && (u.pending || now - u.writtenAt < USAGE_PRECISION_MS)) return;
  state.usage.set(apiKeyId, { writtenAt: u?.writtenAt ?? 0, pending: new Date(now) });
  state.timer ??= setTimeout(() => {
    state.timer = null;
    flushApiKeyUsage(db).catch((err: unknown) => logger().warn({ err }, "api key last_used_at not written"));
  }, FLUSH_EVERY_MS).unref();
}

/** Writes the pending last_used_at values now (the timer does it within seconds; tests and shutdown call it). */
export async function flushApiKeyUsage(db: Db): Promise<void> {
  const state = states.get(db);
  if (!state) return;
  await state.flushing;
  const pending = [...state.usage].filter(([, u]) => u.pending);
  if (!pending.length) return;
  const ids = pending.map(([id]) => id);
  const ats = pending.map(([, u]) => u.pending!.toISOString());
  for (const [, u] of pending) {
    u.writtenAt = u.pending!.getTime();
    u.pending = null;
  }
  // Several processes may use one key: the row changes at most once a minute all the same.
  state.flushing = db.$executeRaw`
    UPDATE api_keys k SET last_used_at = v.at
      FROM (SELECT unnest(${ids}::uuid[]) AS id, (unnest(${ats}::timestamptz[]) AT TIME ZONE 'UTC')::timestamp(3) AS at) v
     WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.at - interval '1 minute')`.then(() => undefined);
  try {
    await state.flushing;
  } finally {
    state.flushing = null;
  }
}
