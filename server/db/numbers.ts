import { AppError, ErrorCode } from "@/server/domain/errors";

/*
 * Money (minor units) and unit counts are BIGINT columns, which Prisma reads as `bigint`. The domain
 * and every view work in JS `number` safe integers (server/domain/money.ts), so rows are converted
 * here, where they leave the database, and nowhere else. Writes need no conversion: Prisma takes a
 * `number` for a BigInt column.
 */

/** A row (or nested rows) as the domain sees it: every `bigint` a `number`. */
export type Numbered<T> = T extends bigint
  ? number
  : T extends Date
    ? T
    : T extends readonly (infer U)[]
      ? Numbered<U>[]
      : T extends object
        ? { [K in keyof T]: Numbered<T[K]> }
        : T;

/** A BIGINT read back as a number; a value beyond Number.MAX_SAFE_INTEGER is a fault, never rounded. */
export function fromDbBigint(value: bigint, what = "value"): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new AppError(ErrorCode.INTERNAL, `${what} ${value} read from the database is beyond Number.MAX_SAFE_INTEGER`);
  }
  return n;
}

function convert(value: unknown, path: string): unknown {
  if (typeof value === "bigint") return fromDbBigint(value, path);
  if (value === null || typeof value !== "object" || value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => convert(v, `${path}[${i}]`));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = convert(v, path ? `${path}.${k}` : k);
  return out;
}

/** The row with every `bigint` (at any depth: included relations too) converted by fromDbBigint. */
export function numbered<T>(row: T): Numbered<T> {
  return convert(row, "") as Numbered<T>;
}
