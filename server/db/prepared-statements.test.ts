import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { loadOrderAggregate } from "@/server/orders/load-order";
import { importForTest, simpleOrder } from "@/test/saga-harness";
import { createDb, MAX_NAMED_PARAMETERS, statementName } from "./client";

// One connection, so that the session whose prepared statements we read is the one that ran the queries.
const db = createDb(process.env.DATABASE_URL!, 1);
afterAll(() => db.$disconnect());

interface Prepared {
  name: string;
  statement: string;
  parameters: number;
  /** How many times the statement was executed: each execution uses a generic or a custom plan. */
  executions: number;
}
const prepared = () =>
  db.$queryRaw<Prepared[]>`
    SELECT name, statement, cardinality(parameter_types)::int AS parameters, (generic_plans + custom_plans)::int AS executions
      FROM pg_prepared_statements`;

const ROUNDS = 5;

describe("prepared statements", () => {
  it("the order aggregate and Prisma's own queries are prepared once per connection and then reused, not parsed again", async () => {
    const { orderId } = await importForTest(simpleOrder(3));
    const isAggregate = (s: Prepared) => s.statement.includes("json_agg(l ORDER BY l.position)");
    // A fresh connection: nothing of the aggregate's prepared yet.
    expect((await prepared()).filter(isAggregate)).toEqual([]);
    for (let i = 0; i < ROUNDS; i++) {
      await loadOrderAggregate(db, orderId, { velocity: true });
      await db.order.findUnique({ where: { id: orderId }, select: { version: true } });
    }
    const statements = await prepared();
    // Prepared once under its name and executed ROUNDS times from it: a statement sent unnamed is
    // not listed at all, and one prepared again would count from 1 again.
    const aggregate = statements.filter(isAggregate);
    expect(aggregate).toHaveLength(1);
    expect(aggregate[0]!.name).toMatch(/^SELECT pc_[\w-]{27}$/);
    expect(aggregate[0]!.executions).toBe(ROUNDS);
    const version = statements.filter((s) => /FROM "public"\."orders"/.test(s.statement) && s.statement.includes(`"version"`));
    expect(version).toHaveLength(1);
    expect(version[0]!.executions).toBe(ROUNDS);
  });

  it("a statement with more than MAX_NAMED_PARAMETERS parameters (a long IN list) is sent unnamed and never prepared", async () => {
    const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
    const isIdList = (s: Prepared) => /FROM "public"\."orders"/.test(s.statement) && /"id" IN \(/.test(s.statement);
    // A short list is named (so the check below would see a long one if it were)...
    await db.order.findMany({ where: { id: { in: ids(3) } }, select: { id: true } });
    expect((await prepared()).filter(isIdList).map((s) => s.parameters)).toEqual([3 + 1]);
    // ...a long one, here as search's related orders are, is not.
    await db.order.findMany({ where: { id: { in: ids(MAX_NAMED_PARAMETERS + 10) } }, select: { id: true } });
    await db.order.findMany({ where: { id: { in: ids(200) } }, select: { id: true } });
    const statements = await prepared();
    expect(statements.filter(isIdList).map((s) => s.parameters)).toEqual([3 + 1]);
    expect(statements.filter((s) => s.parameters > MAX_NAMED_PARAMETERS)).toEqual([]);
  });

  it("the same text always gets the same name; anything but plain DML, or with many parameters, goes unnamed", () => {
    expect(statementName("SELECT 1 AS one", 0)).toBe(statementName("SELECT 1 AS one", 0));
    expect(statementName("SELECT 1 AS one", 0)).not.toBe(statementName("SELECT 2 AS two", 0));
    expect(statementName("  with x AS (SELECT 1) SELECT * FROM x", 0)).toMatch(/^WITH pc_/);
    expect(statementName("CREATE DATABASE x", 0)).toBe("");
    expect(statementName("BEGIN", 0)).toBe("");
    expect(statementName("SELECT $1", MAX_NAMED_PARAMETERS)).toMatch(/^SELECT pc_/);
    expect(statementName("SELECT $1, $2", MAX_NAMED_PARAMETERS + 1)).toBe("");
  });
});
