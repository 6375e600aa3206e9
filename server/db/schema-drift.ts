import type pg from "pg";
import { CHECK_CONSTRAINTS, type CheckConstraint, PARTIAL_UNIQUE_INDEXES } from "./check-constraints";
import { columnOf, type ParsedSchema, type SchemaField } from "./prisma-schema";

/** What PostgreSQL's information_schema says a column of this Prisma type is. */
function expectedType(field: SchemaField, enums: ParsedSchema["enums"]): string {
  if (field.list) return `ARRAY:_${field.type === "String" ? "text" : field.type.toLowerCase()}`;
  if (enums[field.type]) return `USER-DEFINED:${field.type}`;
  if (field.dbType === "Uuid") return "uuid";
  if (field.dbType === "Char") return "character";
  if (field.dbType === "Timestamptz") return "timestamp with time zone";
  return (
    {
      String: "text",
      Int: "integer",
      BigInt: "bigint",
      Boolean: "boolean",
      DateTime: "timestamp without time zone",
      Json: "jsonb",
      Float: "double precision",
    } as Record<string, string>
  )[field.type]!;
}

const DELETE_RULES: Record<string, string> = { Cascade: "CASCADE", SetNull: "SET NULL", Restrict: "RESTRICT", NoAction: "NO ACTION" };

/**
 * Every difference between the migrated database and schema.prisma (plus the CHECK constraints
 * of check-constraints.ts, which Prisma cannot express), as readable lines.
 */
export async function findSchemaDrift(
  client: pg.Client,
  schema: ParsedSchema,
  checks: readonly CheckConstraint[] = CHECK_CONSTRAINTS,
  partialUniques: readonly CheckConstraint[] = PARTIAL_UNIQUE_INDEXES,
): Promise<string[]> {
  const problems: string[] = [];
  const columns = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const indexes = await client.query<{ table: string; name: string; unique: boolean; primary: boolean; predicate: string | null; columns: string[] }>(
    `SELECT t.relname AS table, ix.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
            pg_get_expr(i.indpred, i.indrelid) AS predicate,
            array_agg(a.attname ORDER BY k.ord)::text[] AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_class ix ON ix.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      GROUP BY t.relname, ix.relname, i.indexrelid, i.indisunique, i.indisprimary, i.indpred, i.indrelid`,
  );
  const fks = await client.query<{ table: string; columns: string[]; ref_table: string; ref_columns: string[]; delete_rule: string }>(
    `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS ref_table,
            (SELECT array_agg(attname ORDER BY ord)::text[] FROM unnest(c.conkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n) AS columns,
            (SELECT array_agg(attname ORDER BY ord)::text[] FROM unnest(c.confkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n) AS ref_columns,
            CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT' WHEN 'a' THEN 'NO ACTION' ELSE 'SET DEFAULT' END AS delete_rule
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'public'
      WHERE c.contype = 'f'`,
  );
  const enumRows = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
  );

  const unq = (t: string) => t.replace(/"/g, "");
  const tablesInDb = new Set(columns.rows.map((c) => c.table_name));
  const tablesInSchema = new Set(schema.models.map((m) => m.table));
  for (const t of tablesInDb) if (t !== "_prisma_migrations" && !tablesInSchema.has(t)) problems.push(`table ${t} is not in schema.prisma`);

  for (const model of schema.models) {
    if (!tablesInDb.has(model.table)) {
      problems.push(`table ${model.table} (model ${model.name}) is missing`);
      continue;
    }
    const dbCols = new Map(columns.rows.filter((c) => c.table_name === model.table).map((c) => [c.column_name, c]));
    const modelNames = new Set(schema.models.map((m) => m.name));
    const relationFields = model.fields.filter((f) => f.relation);
    const columnFields = model.fields.filter((f) => !modelNames.has(f.type));
    for (const field of columnFields) {
      const col = dbCols.get(field.column);
      const where = `${model.table}.${field.column}`;
      if (!col) {
        problems.push(`column ${where} is missing`);
        continue;
      }
      const actual = col.data_type === "ARRAY" || col.data_type === "USER-DEFINED" ? `${col.data_type}:${col.udt_name}` : col.data_type;
      const expected = expectedType(field, schema.enums);
      if (actual !== expected) problems.push(`column ${where} is ${actual}, schema says ${expected}`);
      const nullable = field.optional || field.list;
      if ((col.is_nullable === "YES") !== nullable) problems.push(`column ${where} is ${col.is_nullable === "YES" ? "nullable" : "NOT NULL"}, schema says ${nullable ? "optional" : "required"}`);
      dbCols.delete(field.column);
    }
    for (const extra of dbCols.keys()) problems.push(`column ${model.table}.${extra} is not in schema.prisma`);

    const tableIndexes = indexes.rows.filter((i) => i.table === model.table);
    const pk = tableIndexes.find((i) => i.primary)?.columns ?? [];
    const expectedPk = model.primaryKey.map((f) => columnOf(model, f));
    if (pk.join(",") !== expectedPk.join(",")) problems.push(`primary key of ${model.table} is (${pk}), schema says (${expectedPk})`);
    const uniques = tableIndexes.filter((i) => i.unique && !i.primary && i.predicate === null).map((i) => i.columns.join(","));
    const expectedUniques = model.uniques.map((u) => u.map((f) => columnOf(model, f)).join(","));
    for (const u of expectedUniques) if (!uniques.includes(u)) problems.push(`unique (${u}) on ${model.table} is missing`);
    for (const u of uniques) if (!expectedUniques.includes(u)) problems.push(`unique (${u}) on ${model.table} is not in schema.prisma`);

    const tableFks = fks.rows.filter((f) => unq(f.table) === model.table);
    const expectedFks = relationFields.map((f) => {
      const target = schema.models.find((m) => m.name === f.type)!;
      const cols = f.relation!.fields.map((c) => columnOf(model, c));
      const optional = f.optional;
      return {
        key: `${cols.join(",")}->${target.table}(${f.relation!.references.map((c) => columnOf(target, c)).join(",")})`,
        rule: f.relation!.onDelete ? DELETE_RULES[f.relation!.onDelete]! : optional ? "SET NULL" : "RESTRICT",
      };
    });
    const actualFks = tableFks.map((f) => ({ key: `${f.columns.join(",")}->${unq(f.ref_table)}(${f.ref_columns.join(",")})`, rule: f.delete_rule }));
    for (const e of expectedFks) {
      const a = actualFks.find((x) => x.key === e.key);
      if (!a) problems.push(`foreign key ${model.table}: ${e.key} is missing`);
      else if (a.rule !== e.rule) problems.push(`foreign key ${model.table}: ${e.key} deletes ${a.rule}, schema says ${e.rule}`);
    }
    for (const a of actualFks) if (!expectedFks.some((e) => e.key === a.key)) problems.push(`foreign key ${model.table}: ${a.key} is not in schema.prisma`);
  }

  const checkRows = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'public'
      WHERE c.contype = 'c'`,
  );
  const actualChecks = new Map(checkRows.rows.map((r) => [`${unq(r.table)}.${r.name}`, r.definition]));
  for (const expected of checks) {
    const where = `${expected.table}.${expected.name}`;
    const actual = actualChecks.get(where);
    if (actual === undefined) problems.push(`check constraint ${where} is missing`);
    else if (actual !== expected.definition) problems.push(`check constraint ${where} is ${actual}, check-constraints.ts says ${expected.definition}`);
    actualChecks.delete(where);
  }
  for (const extra of actualChecks.keys()) problems.push(`check constraint ${extra} is not in check-constraints.ts`);

  const partial = new Map(indexes.rows.filter((i) => i.unique && i.predicate !== null).map((i) => [`${i.table}.${i.name}`, `(${i.columns.join(",")}) WHERE ${i.predicate}`]));
  for (const expected of partialUniques) {
    const where = `${expected.table}.${expected.name}`;
    const actual = partial.get(where);
    if (actual === undefined) problems.push(`partial unique index ${where} is missing`);
    else if (actual !== expected.definition) problems.push(`partial unique index ${where} is ${actual}, check-constraints.ts says ${expected.definition}`);
    partial.delete(where);
  }
  for (const extra of partial.keys()) problems.push(`partial unique index ${extra} is not in check-constraints.ts`);

  for (const [name, values] of Object.entries(schema.enums)) {
    const row = enumRows.rows.find((r) => r.name === name);
    if (!row) problems.push(`enum ${name} is missing`);
    else if (row.values.join(",") !== values.join(",")) problems.push(`enum ${name} is (${row.values}), schema says (${values})`);
  }
  return problems;
}
