import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrismaSchema } from "./prisma-schema";
import { CHECK_CONSTRAINTS } from "./check-constraints";
import { findSchemaDrift } from "./schema-drift";

const schemaText = readFileSync("prisma/schema.prisma", "utf8");
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

describe("the migrated database", () => {
  it("matches schema.prisma: tables, columns, types, nullability, keys, uniques, foreign keys, enums, and the CHECK constraints", async () => {
    const schema = parsePrismaSchema(schemaText);
    expect(schema.models.length).toBeGreaterThan(20);
    expect(await findSchemaDrift(client, schema)).toEqual([]);
  });

  it("has every CHECK constraint validated: those added NOT VALID were validated by a later migration", async () => {
    const { rows } = await client.query(
      `SELECT conrelid::regclass::text AS table, conname AS name FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'public'
        WHERE c.contype = 'c' AND NOT c.convalidated`,
    );
    expect(rows).toEqual([]);
  });

  it("keeps Prisma's migration bookkeeping", async () => {
    const { rows } = await client.query(`SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });
});

describe("the drift check", () => {
  const drifted = (from: string, to: string) => {
    expect(schemaText).toContain(from);
    return parsePrismaSchema(schemaText.replace(from, to));
  };

  it("reports a column the migrations lack", async () => {
    const schema = drifted("  sku                String\n", "  sku                String\n  colour             String\n");
    expect(await findSchemaDrift(client, schema)).toContain("column order_lines.colour is missing");
  });

  it("reports a nullability, type, unique and foreign-key change", async () => {
    const schema = parsePrismaSchema(
      schemaText
        .replace("  customerEmail       String                 @map(\"customer_email\")", "  customerEmail       String?                @map(\"customer_email\")")
        .replace("  quantity           BigInt\n", "  quantity           Int\n")
        .replace("  @@unique([channel, externalId])\n", "")
        .replace("order              Order                  @relation(fields: [orderId], references: [id], onDelete: Cascade)", "order              Order                  @relation(fields: [orderId], references: [id])"),
    );
    const problems = await findSchemaDrift(client, schema);
    expect(problems).toContain("column orders.customer_email is NOT NULL, schema says optional");
    expect(problems).toContain("column order_lines.quantity is bigint, schema says integer");
    expect(problems).toContain("unique (channel,external_id) on orders is not in schema.prisma");
    expect(problems).toContain("foreign key order_lines: order_id->orders(id) deletes CASCADE, schema says RESTRICT");
  });

  it("reports a model with no table and an enum value the database lacks", async () => {
    const schema = drifted("enum TaskStatus {\n  open\n", "enum TaskStatus {\n  open\n  snoozed\n");
    schema.models.push({ name: "Ghost", table: "ghosts", fields: [], primaryKey: [], uniques: [] });
    const problems = await findSchemaDrift(client, schema);
    expect(problems).toContain("table ghosts (model Ghost) is missing");
    expect(problems).toContain("enum TaskStatus is (open,done), schema says (open,snoozed,done)");
  });

  it("reports a CHECK constraint missing, changed or not listed", async () => {
    const schema = parsePrismaSchema(schemaText);
    const [first, second, ...rest] = CHECK_CONSTRAINTS;
    const checks = [...rest, { ...second!, definition: "CHECK ((quantity > 1))" }, { table: "orders", name: "orders_ghost", definition: "CHECK (true)" }];
    const problems = await findSchemaDrift(client, schema, checks);
    expect(problems).toContain(`check constraint ${first!.table}.${first!.name} is not in check-constraints.ts`);
    expect(problems).toContain(`check constraint ${second!.table}.${second!.name} is ${second!.definition}, check-constraints.ts says CHECK ((quantity > 1))`);
    expect(problems).toContain("check constraint orders.orders_ghost is missing");
    expect(problems).toHaveLength(3);
  });

  it("reports a CHECK constraint added NOT VALID and not validated yet", async () => {
    const schema = parsePrismaSchema(schemaText);
    const check = CHECK_CONSTRAINTS.find((c) => c.name === "orders_customer_phone_length")!;
    await client.query("BEGIN");
    try {
      await client.query(`ALTER TABLE orders DROP CONSTRAINT ${check.name}, ADD CONSTRAINT ${check.name} ${check.definition} NOT VALID`);
      expect(await findSchemaDrift(client, schema)).toEqual([
        `check constraint orders.${check.name} is ${check.definition} NOT VALID, check-constraints.ts says ${check.definition}`,
      ]);
    } finally {
      await client.query("ROLLBACK");
    }
  });
});
