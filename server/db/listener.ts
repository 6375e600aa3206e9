import pg from "pg";
import { logger } from "@/server/observability/logger";

/**
 * One dedicated PostgreSQL connection per process and database that LISTENs, shared by the
 * in-process caches and the submit's wait for its saga. It is never taken from the pool: LISTEN
 * needs a session of its own (behind PgBouncer in transaction mode it must bypass the pooler;
 * see README "Scaling past one machine").
 *
 * While the connection is down nothing is known about changes, so `onReset` handlers run (the
 * caches empty themselves and stop caching until `connected` again) and it reconnects with
 * bounded backoff.
 */
export interface DbListener {
  /** Calls `fn` for each notification on `channel` until the returned function is called. */
  on(channel: string, fn: (payload: string) => void): () => void;
  /** Called whenever notifications may have been missed (connection lost, reconnected). */
  onReset(fn: () => void): () => void;
  /** LISTENing on every channel asked for so far: a cache may trust its entries. */
  readonly connected: boolean;
  /** Resolves once connected (or rejects after `timeoutMs`). */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;

export function createListener(url: string, log: (l: string) => void = (l) => logger().warn(l)): DbListener {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const resets = new Set<() => void>();
  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let backoff = 100;
  let waiters: (() => void)[] = [];
  // One command at a time on the connection (pg queues them, but concurrent calls are deprecated).
  let queue: Promise<unknown> = Promise.resolve();
  const command = (c: pg.Client, sql: string) => {
    const next = queue.then(() => c.query(sql));
    queue = next.catch(() => {});
    return next;
  };

  const reset = () => {
    for (const fn of resets) fn();
  };

  async function connect() {
    while (!closed) {
      const c = new pg.Client({ connectionString: url, keepAlive: true });
      try {
        c.on("notification", (n) => {
          for (const fn of handlers.get(n.channel) ?? []) fn(n.payload ?? "");
        });
        c.on("error", () => lost(c));
        c.on("end", () => lost(c));
        await c.connect();
        // The listener alone never keeps a process (a script, a test) alive.
        (c as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
        for (const channel of handlers.keys()) await command(c, `LISTEN ${channel}`);
        if (closed) return void (await c.end().catch(() => {}));
        client = c;
        connected = true;
        backoff = 100;
        // Anything may have changed while nobody listened.
        reset();
        for (const w of waiters) w();
        waiters = [];
        return;
      } catch (error) {
        await c.end().catch(() => {});
        // The database was dropped (a test's): nothing left to listen to.
        if ((error as { code?: string }).code === "3D000") return;
        log(`database listener: ${(error as Error).message}; retrying in ${backoff} ms`);
        await new Promise((r) => setTimeout(r, backoff).unref());
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  function lost(c: pg.Client) {
    if (client !== c) return;
    client = null;
    connected = false;
    reset();
    c.end().catch(() => {});
    if (!closed) void connect();
  }

  void connect();

  return {
    on(channel, fn) {
      if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${channel}`);
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        // Until LISTEN has run on the live connection, this channel's news may be missed.
        if (client) {
          const c = client;
          connected = false;
          command(c, `LISTEN ${channel}`).then(
            () => {
              if (client === c) connected = true;
              reset();
              for (const w of waiters) w();
              waiters = [];
            },
            () => lost(c),
          );
        }
      }
      set.add(fn);
      return () => void set.delete(fn);
    },
    onReset(fn) {
      resets.add(fn);
      return () => void resets.delete(fn);
    },
    get connected() {
      return connected;
    },
    ready(timeoutMs = 10_000) {
      if (connected) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("database listener not connected")), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    async close() {
      closed = true;
      connected = false;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
