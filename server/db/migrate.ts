import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

// Applies prisma/migrations/<timestamp>_<name>/migration.sql in order and keeps
// Prisma's own `_prisma_migrations` bookkeeping, so `prisma migrate deploy`
// agrees with what ran here wherever Prisma's schema engine is available.
const BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;
/** The advisory lock one migrating process holds. */
export const LOCK_ID = 72707369;
const LOCK_RETRY_MS = 250;

/**
 * A migration.sql whose first line is this runs outside a transaction, one statement at a time (each
 * ends with ";" at the end of a line): for CREATE INDEX CONCURRENTLY, which builds an index without
 * blocking writes but refuses to run in a transaction. Not atomic: see README "Database".
 */
export const NO_TRANSACTION = "-- migrate: no transaction";

/** The statements of a no-transaction migration: split at a ";" that ends a line, comments dropped. */
export function statementsOf(sql: string): string[] {
  return sql
    .split(/;[ \t]*$/m)
    .map((chunk) => chunk.split("\n").filter((line) => !/^\s*--/.test(line)).join("\n").trim())
    .filter(Boolean);
}

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

export async function listMigrations(dir = MIGRATIONS_DIR) {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export async function migrate(url: string, log: (line: string) => void = () => {}, dir = MIGRATIONS_DIR) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Several app instances may start at once; one migrates, the others wait. They try again and
    // again rather than wait inside pg_advisory_lock: a waiting statement holds a snapshot, which
    // CREATE INDEX CONCURRENTLY in the migrating session waits for (a deadlock PostgreSQL breaks by
    // failing one of them).
    while (!(await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [LOCK_ID])).rows[0]!.locked) {
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
    await client.query(BOOKKEEPING);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const appliedNow: string[] = [];
    for (const m of await listMigrations(dir)) {
      const known = applied.get(m.name);
      if (known) {
        if (known !== m.checksum) log(`warning: ${m.name} was edited after it was applied`);
        continue;
      }
      const id = randomUUID();
      if (m.sql.startsWith(NO_TRANSACTION)) {
        for (const statement of statementsOf(m.sql)) {
          try {
            await client.query(statement);
          } catch (error) {
            // What ran before stays; an index CONCURRENTLY left half-built is INVALID (README "Database").
            throw new Error(`migration ${m.name} failed (run without a transaction: the statements before this one stay applied) at: ${statement.split("\n")[0]}: ${(error as Error).message}`);
          }
        }
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [id, m.checksum, m.name],
        );
        appliedNow.push(m.name);
        log(`applied ${m.name} (without a transaction)`);
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [id, m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`);
      }
      appliedNow.push(m.name);
      log(`applied ${m.name}`);
    }
    return appliedNow;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    await client.end();
  }
}
