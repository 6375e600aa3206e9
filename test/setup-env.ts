import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { withDatabase } from "@/scripts/lib/database";
import { wireSaga } from "@/server/saga/wire-saga";

// This test file's own database, a copy of the run's migrated template.
const template = inject("templateUrl");
const templateName = new URL(template).pathname.slice(1);
const name = `${templateName}_${randomBytes(4).toString("hex")}`;
const client = new pg.Client({ connectionString: withDatabase(template, "postgres") });
await client.connect();
try {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
      break;
    } catch (error) {
      // Two files copying the template at the same moment: PostgreSQL refuses one; try again.
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
} finally {
  await client.end();
}
process.env.DATABASE_URL = withDatabase(template, name);
// Submits queue for a turn up to 5 s in production and are then told 429 to come back; on a test
// machine shared by many forks that limit is a matter of luck, so tests that count answers (20
// concurrent submits: 10 accepted, 10 refused) give the queue a minute. admission.test.ts sets its own.
process.env.SUBMIT_MAX_QUEUE_MS ??= "60000";
// What instrumentation.ts plugs in for the app: submits and approvals enqueue the saga.
wireSaga();
