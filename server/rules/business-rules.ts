import { type Db, listenerFor } from "@/server/db/client";
import { NotifiedCache } from "@/server/db/notified-cache";
import { type BusinessRulesConfig, DEFAULT_BUSINESS_RULES } from "@/server/domain/approval-policy";
import type { Prisma } from "@/server/generated/prisma/client";

export interface VersionedRules {
  version: number;
  rules: BusinessRulesConfig;
}

const caches = new WeakMap<object, NotifiedCache<VersionedRules>>();

// Saving rules inserts a new version (a version never changes), and a trigger NOTIFYs
// business_rules_changed (migration 20261201073500), which empties every process's cache.
function cacheOf(db: object): NotifiedCache<VersionedRules> | null {
  let cache = caches.get(db);
  if (!cache) {
    const listener = listenerFor(db);
    if (!listener) return null;
    cache = new NotifiedCache(listener, ["business_rules_changed"], { ttlMs: 60_000, maxEntries: 1 });
    caches.set(db, cache);
  }
  return cache;
}

/** Empties this process's rules cache at once (a save made here; other processes hear the NOTIFY). */
export function businessRulesChanged(db: Db): void {
  caches.get(db)?.clear();
}

async function readNewest(db: Db | Prisma.TransactionClient): Promise<VersionedRules> {
  const row = await db.businessRules.findFirst({ orderBy: { version: "desc" } });
  if (!row) return { version: 0, rules: DEFAULT_BUSINESS_RULES };
  return { version: row.version, rules: { ...DEFAULT_BUSINESS_RULES, ...(row.rules as object) } as BusinessRulesConfig };
}

/**
 * The newest version of the business rules; the defaults of SPEC §5 until an admin saves one.
 * Cached in process for a root client; a transaction (e.g. the save's, under its lock) reads
 * the table.
 */
export async function getBusinessRules(db: Db | Prisma.TransactionClient): Promise<VersionedRules> {
  const cache = cacheOf(db);
  return cache ? cache.get("newest", () => readNewest(db)) : readNewest(db);
}

/**
 * The rules of `version`, which the caller just read as the newest in its own snapshot (the
 * order aggregate reads it in the same statement): the cached rules when they are that version,
 * otherwise read again, so a saved limit applies from the very next preview in every process,
 * whether or not its NOTIFY has arrived.
 */
export async function businessRulesAt(db: Db | Prisma.TransactionClient, version: number, cacheFrom?: Db): Promise<VersionedRules> {
  const cache = cacheOf(cacheFrom ?? db);
  if (cache) {
    const cached = await cache.get("newest", () => readNewest(db));
    if (cached.version === version) return cached;
    cache.clear();
  }
  const fresh = await readNewest(db);
  // A newer version than the snapshot's can only mean a save committed in between: still current.
  if (fresh.version < version) throw new Error(`business rules version ${version} vanished`);
  return fresh;
}
