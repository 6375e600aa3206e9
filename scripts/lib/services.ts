import { spawn, type ChildProcess } from "node:child_process";
import { migrate } from "@/server/db/migrate";
import { createDb } from "@/server/db/client";
import { seed } from "@/prisma/seed";
import { startDatabase, type DatabaseHandle } from "./database";

export interface Stack {
  database: DatabaseHandle;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * What the app needs before Next starts: a migrated, seeded PostgreSQL
 * (embedded unless DATABASE_URL is set). Shared by `npm run dev` and `npm test`.
 */
export async function startStack(opts: { dbName: string; port?: number; log?: (l: string) => void }): Promise<Stack> {
  const log = opts.log ?? console.log;
  const database = await startDatabase({ name: opts.dbName, port: opts.port, log });
  const applied = await migrate(database.url, log);
  if (!applied.length) log("Database schema is up to date.");
  const db = createDb(database.url, 2);
  try {
    await seed(db, log);
  } finally {
    await db.$disconnect();
  }
  const env: Record<string, string> = { DATABASE_URL: database.url };
  return {
    database,
    env,
    stop: async () => {
      await database.stop();
    },
  };
}

export function run(cmd: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
}

export function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
