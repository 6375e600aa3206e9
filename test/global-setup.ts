import type { TestProject } from "vitest/node";
import { createDatabaseIfMissing, startDatabase, withDatabase } from "@/scripts/lib/database";
import { prepareDatabase } from "@/scripts/lib/services";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * Every run gets a new, migrated database: on TEST_DATABASE_URL's server when
 * `npm test` prepared one, otherwise on the embedded test PostgreSQL
 * (.data/postgres-test, port 54330), started if it is not running yet.
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("databaseUrl", process.env.TEST_DATABASE_URL);
    return;
  }
  const server = await startDatabase({ name: "postgres", dirName: "postgres-test", port: 54330, log: () => {} });
  const name = `pc_test_${Date.now()}_${process.pid}`;
  await createDatabaseIfMissing(server.url, name);
  const url = withDatabase(server.url, name);
  await prepareDatabase(url);
  project.provide("databaseUrl", url);
  // The embedded test server is left running: other Vitest runs may share it
  // (`npm test` starts and stops it around the whole suite instead).
}
