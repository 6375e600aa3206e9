import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { getConfig } from "@/server/config";
import { PrismaClient } from "@/server/generated/prisma/client";
import { createListener, type DbListener } from "./listener";

export type Db = PrismaClient;

// The URL each client was made for, so that its caches listen to the same database. On globalThis,
// like the client itself: npm start's direct route (scripts/lib/direct-routes.ts) runs a second copy
// of this module beside Next's bundle in the same process, and each copy must find the other's client.
const registry = globalThis as unknown as { __pcClientUrls?: WeakMap<object, string>; __pcLiveClients?: Map<string, Set<object>> };
const urls = (registry.__pcClientUrls ??= new WeakMap<object, string>());
const liveClients = (registry.__pcLiveClients ??= new Map<string, Set<object>>());
const clientsOf = (url: string) => {
  let set = liveClients.get(url);
  if (!set) liveClients.set(url, (set = new Set()));
  return set;
};

// Statements are prepared once per connection under a name (their text's hash), so PostgreSQL
// parses and plans each once rather than on every call: for a preview the order aggregate's plan
// alone was ≈ 0.4 ms of the server's CPU, more than running it. Each named statement stays in every
// pooled connection's backend with its cached plan, so only plain DML with at most
// MAX_NAMED_PARAMETERS parameters is named: the hot statements (the order aggregate, Prisma's
// lookups by key) have a handful, while an IN list of search ids (up to 1,000) or a multi-row
// createMany makes a new text per length, each used rarely and with a large plan — those stay
// unnamed, parsed per call as before. And at most MAX_NAMED_STATEMENTS texts a process: past that a
// statement goes unnamed too. (The rate-limit take names itself, server/rest/token-bucket.ts.)
// Behind PgBouncer this needs max_prepared_statements (README).
const MAX_NAMED_STATEMENTS = 1_000;
export const MAX_NAMED_PARAMETERS = 32;
const statementNames = new Map<string, string>();
const NAMEABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

/** The prepared statement's name for `sql` with `parameters` parameters; "" (the protocol's unnamed statement) when it gets none. */
export function statementName(sql: string, parameters: number): string {
  if (parameters > MAX_NAMED_PARAMETERS) return "";
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    // The operation first: the pg instrumentation names a named statement's span after its name ("pg.query:SELECT pc_…").
    const operation = NAMEABLE.exec(sql)?.[1]?.toUpperCase();
    name = operation ? `${operation} pc_${createHash("sha1").update(sql).digest("base64url")}` : "";
    statementNames.set(sql, name);
  }
  return name ?? "";
}

export function createDb(url: string, poolSize = 10): Db {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize }, { statementNameGenerator: (query) => statementName(query.sql, query.args.length) });
  // Under load a transaction may wait for a pooled connection longer than Prisma's 2 s
  // default; waiting beats failing a request that changes nothing.
  const db = new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 20_000 } });
  urls.set(db, url);
  // Disconnecting the client closes the LISTEN connection made for it too.
  const disconnect = db.$disconnect.bind(db);
  db.$disconnect = async () => {
    const listener = holder.__pcListeners?.get(url);
    if (listener && ![...clientsOf(url)].some((other) => other !== db)) {
      holder.__pcListeners!.delete(url);
      await listener.close();
    }
    liveClients.get(url)?.delete(db);
    await disconnect();
  };
  clientsOf(url).add(db);
  return db;
}

// One client and one listener per process, kept on globalThis so that Next's dev reloads do
// not open a new pool on every edit.
const holder = globalThis as unknown as { __pcDb?: Db; __pcListeners?: Map<string, DbListener> };

export function getDb(): Db {
  if (!holder.__pcDb) {
    const { databaseUrl, databasePoolSize } = getConfig();
    if (!databaseUrl) throw new Error("DATABASE_URL is not set: start the app with `npm run dev` or set it");
    holder.__pcDb = createDb(databaseUrl, databasePoolSize);
  }
  return holder.__pcDb;
}

/**
 * The LISTEN connection for `db`'s database (opened on first use, one per process and URL);
 * null for a client this module did not create, e.g. a transaction's.
 */
export function listenerFor(db: object): DbListener | null {
  const url = urls.get(db);
  if (!url) return null;
  holder.__pcListeners ??= new Map();
  let listener = holder.__pcListeners.get(url);
  if (!listener) {
    // Behind PgBouncer in transaction mode DATABASE_URL points at the pooler, which cannot
    // LISTEN: DATABASE_DIRECT_URL then names the server itself (README "Scaling").
    const { databaseUrl, databaseDirectUrl } = getConfig();
    const direct = url === databaseUrl ? databaseDirectUrl : undefined;
    listener = createListener(direct || url);
    holder.__pcListeners.set(url, listener);
  }
  return listener;
}
