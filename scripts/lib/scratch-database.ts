import pg from "pg";
import type { Actor } from "@/server/auth/permissions";
import { createDatabaseIfMissing, startDatabase, withDatabase } from "./database";
import { prepareDatabase } from "./services";

/*
 * What the query benchmarks (bench:search, bench:insights) share: a scratch database on the
 * embedded PostgreSQL, their --name=N arguments, the actor they query as and the median of runs.
 */

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Seeds it in one round trip of SQL; the seconds it took. */
  seed(sql: string): Promise<number>;
  /** Drops the database and stops the server (if this process started it). */
  drop(): Promise<void>;
}

/** A new, migrated database `<prefix>_<now>`, dropped by drop(). */
export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const server = await startDatabase({ name: "postgres", log: () => {} });
  const name = `${prefix}_${Date.now()}`;
  await createDatabaseIfMissing(server.url, name);
  const url = withDatabase(server.url, name);
  console.log(`Scratch database ${name}; migrating…`);
  await prepareDatabase(url);
  const sql = async <T>(connectionString: string, run: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };
  return {
    name,
    url,
    seed: async (text) => {
      const started = performance.now();
      await sql(url, (client) => client.query(text));
      return (performance.now() - started) / 1000;
    },
    drop: async () => {
      await sql(server.url, (client) => client.query(`DROP DATABASE "${name}" WITH (FORCE)`));
      await server.stop();
      console.log(`\nDropped ${name}.`);
    },
  };
}

/** The number given as --name=N, or `fallback`. */
export function numberArg(name: string, fallback: number): number {
  return Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
}

/** The benchmarks' reader: a person of `role` who sees `storeIds` (null: every store). */
export function benchActor(role: Actor["role"], storeIds: string[] | null): Actor {
  return { kind: "user", userId: "00000000-0000-4000-8000-000000000000", email: "bench@example.com", name: "Bench", role, storeIds, scopes: null, channel: "web" };
}

/** The median of `runs` timings of `run`, in ms. */
export async function medianMs(runs: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}
