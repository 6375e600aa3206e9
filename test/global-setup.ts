import type { TestProject } from "vitest/node";
import { createDatabaseIfMissing, dropOldTestDatabases, startDatabase, withDatabase } from "@/scripts/lib/database";
import { prepareDatabase } from "@/scripts/lib/services";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated database that each test file copies (CREATE DATABASE … TEMPLATE). */
    templateUrl: string;
  }
}

/**
 * Every run migrates a template database once: on TEST_DATABASE_URL's server
 * when `npm test` prepared one, otherwise on the embedded test PostgreSQL
 * (.data/postgres-test, port 54330), started if it is not running yet and
 * left running for other runs. Each test file then works in its own copy
 * (test/setup-env.ts), so one file's saga worker never picks up another
 * file's jobs.
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("templateUrl", process.env.TEST_DATABASE_URL);
    return;
  }
  const server = await startDatabase({ name: "postgres", dirName: "postgres-test", port: 54330, log: () => {} });
  await dropOldTestDatabases(server.url);
  const name = `pc_test_${Date.now()}_${process.pid}`;
  await createDatabaseIfMissing(server.url, name);
  const url = withDatabase(server.url, name);
  await prepareDatabase(url);
  project.provide("templateUrl", url);
}
