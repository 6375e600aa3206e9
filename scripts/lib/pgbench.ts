import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { createDatabaseIfMissing, withDatabase } from "./database";

const run = promisify(execFile);
export const PGBENCH_DB = "pc_pgbench";

function hasPgbench(): boolean {
  try {
    execFileSync("pgbench", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * pgbench on PATH, installed from Debian when it is missing and we may (root with apt-get), as
 * .ci/run does for Chromium. On Debian 12 it ships with postgresql-client's server sibling, so
 * postgresql-15's package is the fallback.
 */
export function ensurePgbench(log: (l: string) => void): boolean {
  if (hasPgbench()) return true;
  if (process.getuid?.() !== 0) return false;
  for (const pkg of ["postgresql-client", "postgresql"]) {
    log(`pgbench is missing: apt-get install ${pkg}`);
    try {
      execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
      execFileSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    } catch {
      // try the next package
    }
    if (hasPgbench()) return true;
  }
  return false;
}

function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || "5432",
    PGUSER: decodeURIComponent(u.username) || "postgres",
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: PGBENCH_DB,
  };
}

/** A pgbench database of `scale` on the app's own server, initialised once and reused. */
export async function preparePgbench(databaseUrl: string, scale: number, log: (l: string) => void): Promise<void> {
  await createDatabaseIfMissing(databaseUrl, PGBENCH_DB);
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, PGBENCH_DB) });
  await client.connect();
  let current = 0;
  try {
    current = Number((await client.query("SELECT count(*) AS n FROM pgbench_branches")).rows[0].n);
  } catch {
    current = 0;
  } finally {
    await client.end();
  }
  if (current === scale) return;
  log(`pgbench -i -s ${scale} into ${PGBENCH_DB} …`);
  await run("pgbench", ["-i", "-q", "-s", String(scale)], { env: pgEnv(databaseUrl), maxBuffer: 16 << 20 });
}

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
}

/** `pgbench -S` (selectOnly) or TPC-B for `seconds` with `clients` clients. */
export async function runPgbench(databaseUrl: string, opts: { selectOnly: boolean; clients: number; seconds: number }): Promise<PgbenchResult> {
  const args = ["-c", String(opts.clients), "-j", String(Math.min(opts.clients, 4)), "-T", String(opts.seconds), ...(opts.selectOnly ? ["-S", "-n"] : [])];
  const { stdout } = await run("pgbench", args, { env: pgEnv(databaseUrl), maxBuffer: 16 << 20 });
  const tps = stdout.match(/tps = ([\d.]+) \(without initial connection time\)/)?.[1];
  const latency = stdout.match(/latency average = ([\d.]+) ms/)?.[1];
  if (!tps) throw new Error(`could not read pgbench's output:\n${stdout}`);
  return { tps: Number(tps), latencyMs: Number(latency ?? Number.NaN) };
}
