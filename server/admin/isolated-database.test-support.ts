import pg from "pg";
import { createDatabaseIfMissing, withDatabase } from "@/scripts/lib/database";
import { prepareDatabase } from "@/scripts/lib/services";
import { createDb, type Db } from "@/server/db/client";

/**
 * A migrated database of its own, on the test server, for tests that change
 * what every other test reads (the business rules) or must tamper with the
 * audit log. Dropped again by `drop()`.
 */
export async function isolatedDatabase(label: string): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const shared = process.env.DATABASE_URL;
  if (!shared) throw new Error("DATABASE_URL is not set (test/setup-env.ts sets it)");
  const name = `pc_${label}_${Date.now()}_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
  await createDatabaseIfMissing(shared, name);
  const url = withDatabase(shared, name);
  await prepareDatabase(url);
  const db = createDb(url, 4);
  return {
    db,
    url,
    async drop() {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: shared });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
