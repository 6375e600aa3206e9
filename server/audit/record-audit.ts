import { createHash } from "node:crypto";
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/generated/prisma/client";

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

const GENESIS = "0".repeat(64);

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
// Serialises writers so that each row's prev_hash is the hash of the row before it.
const CHAIN_LOCK = 72707370;

export function auditHash(prevHash: string, e: Omit<AuditEntry, "actorType"> & { actorType: string; at: Date }): string {
  const body = JSON.stringify([
    prevHash,
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

/**
 * Appends one entry to the hash-chained audit log. Call it inside the
 * transaction of the state change it records, as its last statement: the
 * chain's lock is held from here to the commit, so every other writer of the
 * audit log waits that long. Without a transaction it opens its own.
 */
export async function recordAudit(db: Tx, entry: AuditEntry): Promise<void> {
  const write = async (tx: Prisma.TransactionClient) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    const last = await tx.auditLog.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
    const prevHash = last?.hash ?? GENESIS;
    const at = new Date();
    await tx.auditLog.create({
      data: { ...entry, at, prevHash, hash: auditHash(prevHash, { ...entry, at }) },
    });
  };
  if ("$transaction" in db) await db.$transaction(write);
  else await write(db);
}
