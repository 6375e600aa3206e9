import { AppError, ErrorCode } from "@/server/domain/errors";

// Column names are few and fixed: each is converted once per process, not once per row per read
// (a regex replace per key was a tenth of a preview's CPU in our code).
const camelNames = new Map<string, string>();
function snakeToCamel(k: string): string {
  let camel = camelNames.get(k);
  if (camel === undefined) {
    camel = k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camelNames.size < 1_000) camelNames.set(k, camel);
  }
  return camel;
}

/**
 * A row read as JSON (row_to_json, json_agg) in the shape Prisma reads it: camelCase keys, the
 * `dates` fields as Date (row_to_json writes a timestamp(3) without its zone; the app writes them
 * in UTC, as Prisma reads them). BIGINT money and counts arrive as JSON numbers; one beyond the
 * safe range is a fault, never rounded (server/db/numbers.ts).
 */
export function fromJsonRow(row: Record<string, unknown>, dates: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const key = snakeToCamel(k);
    if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) throw new AppError(ErrorCode.INTERNAL, `${key} ${v} read from the database is beyond Number.MAX_SAFE_INTEGER`);
    out[key] = dates.has(key) && typeof v === "string" ? new Date(`${v}Z`) : v;
  }
  return out;
}
