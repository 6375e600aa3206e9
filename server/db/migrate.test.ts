import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { until } from "@/test/support/until";
import { LOCK_ID, migrate, NO_TRANSACTION, statementsOf } from "./migrate";

// migrate() on this file's database (every real migration applied) with migrations of its own.
const url = process.env.DATABASE_URL!;
let dir: string;
let other: pg.Client;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
  other = new pg.Client({ connectionString: url, application_name: "other migrator" });
  await other.connect();
});
afterAll(async () => {
  await other.end();
  rmSync(dir, { recursive: true, force: true });
});

function addMigration(name: string, sql: string) {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

it("a no-transaction migration's statements are those that end a line with ';', comments left out", () => {
  expect(statementsOf(`${NO_TRANSACTION}\n-- why\nCREATE INDEX CONCURRENTLY a ON t (x);\nCREATE INDEX CONCURRENTLY b\n  ON t (y, z);  \n`)).toEqual(["CREATE INDEX CONCURRENTLY a ON t (x)", "CREATE INDEX CONCURRENTLY b\n  ON t (y, z)"]);
});

it("a migration marked no transaction builds its indexes CONCURRENTLY and is recorded; an instance waiting meanwhile for the migration lock does not deadlock another session's CREATE INDEX CONCURRENTLY", async () => {
  addMigration("30000101000000_probe_table", "CREATE TABLE migrate_probe (id int PRIMARY KEY, word text);\nINSERT INTO migrate_probe SELECT g, 'w' || g FROM generate_series(1, 1000) g;\n");
  expect(await migrate(url, () => {}, dir)).toEqual(["30000101000000_probe_table"]);
  addMigration("30000101000001_probe_indexes", `${NO_TRANSACTION}\n-- Built without blocking writes.\nCREATE INDEX CONCURRENTLY migrate_probe_word_idx ON migrate_probe (word);\nCREATE INDEX CONCURRENTLY migrate_probe_word_id_idx\n  ON migrate_probe (word, id);\n`);

  // Another process migrates (holds the lock and builds an index concurrently) while this one starts.
  await other.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
  const lines: string[] = [];
  const waiting = migrate(url, (l) => lines.push(l), dir);
  await until("the second migrator asking for the lock", async () => {
    const { rows } = await other.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%advisory_lock%'");
    return rows.length > 0;
  });
  // A session waiting in pg_advisory_lock holds a snapshot this would wait for: deadlock detected.
  await other.query("CREATE INDEX CONCURRENTLY migrate_probe_id_word_idx ON migrate_probe (id, word)");
  expect(lines).toEqual([]);
  await other.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]);

  expect(await waiting).toEqual(["30000101000001_probe_indexes"]);
  expect(lines).toEqual(["applied 30000101000001_probe_indexes (without a transaction)"]);
  const { rows: indexes } = await other.query<{ name: string; valid: boolean }>(
    "SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'migrate_probe'::regclass AND NOT i.indisprimary ORDER BY 1",
  );
  expect(indexes).toEqual([
    { name: "migrate_probe_id_word_idx", valid: true },
    { name: "migrate_probe_word_id_idx", valid: true },
    { name: "migrate_probe_word_idx", valid: true },
  ]);
  const { rows: recorded } = await other.query("SELECT migration_name FROM _prisma_migrations WHERE migration_name LIKE '30000101%' AND finished_at IS NOT NULL ORDER BY 1");
  expect(recorded.map((r) => r.migration_name)).toEqual(["30000101000000_probe_table", "30000101000001_probe_indexes"]);
  expect(await migrate(url, () => {}, dir)).toEqual([]);
});

it("a no-transaction migration that fails names the statement and is not recorded; the statements before it stay", async () => {
  addMigration("30000101000002_probe_broken", `${NO_TRANSACTION}\nCREATE INDEX CONCURRENTLY migrate_probe_broken_ok_idx ON migrate_probe (word, id);\nCREATE INDEX CONCURRENTLY migrate_probe_broken_idx ON migrate_probe (no_such_column);\n`);
  await expect(migrate(url, () => {}, dir)).rejects.toThrow(/migration 30000101000002_probe_broken failed .* at: CREATE INDEX CONCURRENTLY migrate_probe_broken_idx .*no_such_column/);
  const { rows } = await other.query("SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = '30000101000002_probe_broken'");
  expect(rows[0].n).toBe(0);
  const { rows: kept } = await other.query("SELECT 1 FROM pg_class WHERE relname = 'migrate_probe_broken_ok_idx'");
  expect(kept).toHaveLength(1);
});
