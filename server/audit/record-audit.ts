import { createHash } from "node:crypto";
import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/generated/prisma/client";

type Tx = Db | Prisma.TransactionClient;

export interface AuditEntry {
  actorType: "user" | "api_key" | "system" | "anonymous";
  actorId?: string | null;
  action: string;
  entity?: string | null;
  entityId?: string | null;
  orderId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  channel?: string | null;
  details?: Prisma.InputJsonValue;
}


// JSONB does not keep key order, so the hash is taken over sorted keys.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
/** The entry's own fields, hashed (JSON of a fixed field order, details with sorted keys). */
export function auditContentHash(e: Omit<AuditEntry, "actorType"> & { actorType: string; at: Date }): string {
  const body = JSON.stringify([
    e.at.toISOString(),
    e.actorType,
    e.actorId ?? null,
    e.action,
    e.entity ?? null,
    e.entityId ?? null,
    e.orderId ?? null,
    e.ip ?? null,
    e.userAgent ?? null,
    e.channel ?? null,
    canonical(e.details ?? null),
  ]);
  return createHash("sha256").update(body).digest("hex");
}

/** A row's hash: the previous row's hash and this row's content (what append_audit_log stores). */
export function auditHash(prevHash: string, e: Omit<AuditEntry, "actorType"> & { actorType: string; at: Date }): string {
  return createHash("sha256").update(prevHash + auditContentHash(e)).digest("hex");
}

/**
 * The call of the database's append_audit_log for `entry` at `at`, with the hash of its content:
 * for a statement that writes the entry with the change it records (importOrder's one statement).
 */
export function appendAuditSql(entry: AuditEntry, at: Date): Prisma.Sql {
  const details = entry.details === undefined ? null : JSON.stringify(entry.details);
  return Prisma.sql`append_audit_log(
      (${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3), ${entry.actorType}, ${entry.actorId ?? null}, ${entry.action}, ${entry.entity ?? null},
      ${entry.entityId ?? null}, ${entry.orderId ?? null}, ${entry.ip ?? null}, ${entry.userAgent ?? null},
      ${entry.channel ?? null}, ${details}::jsonb, ${auditContentHash({ ...entry, at })})`;
}

/**
 * Appends one entry to the audit log through the database's append_audit_log function, with
 * the hash of its content and no lock: call it inside the transaction of the state change it
 * records. The sealer (server/audit/seal-audit-log.ts, in the worker) chains the entry shortly
 * after the commit. Without a transaction it is a statement of its own.
 */
export async function recordAudit(db: Tx, entry: AuditEntry): Promise<void> {
  await db.$executeRaw`SELECT ${appendAuditSql(entry, new Date())}`;
}
