import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { withDatabase } from "@/scripts/lib/database";

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
