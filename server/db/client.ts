import { PrismaPg } from "@prisma/adapter-pg";
import { getConfig } from "@/server/config";
import { PrismaClient } from "@/server/generated/prisma/client";
import { createListener, type DbListener } from "./listener";

export type Db = PrismaClient;

// The URL each client was made for, so that its caches listen to the same database.
const urls = new WeakMap<object, string>();
const liveClients = new Map<string, Set<object>>();
const clientsOf = (url: string) => {
  let set = liveClients.get(url);
  if (!set) liveClients.set(url, (set = new Set()));
  return set;
};

export function createDb(url: string, poolSize = 10): Db {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
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
