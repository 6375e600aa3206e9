import { auditHash } from "@/server/audit/record-audit";
import { sealAll } from "@/server/audit/seal-audit-log";
import type { Db } from "@/server/db/client";

// The prev_hash of the first entry (server/audit/record-audit.ts starts the chain with it).
export const GENESIS_HASH = "0".repeat(64);

export interface AuditRow {
  id: bigint | number | string;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  orderId: string | null;
  ip: string | null;
  userAgent: string | null;
  channel: string | null;
  details: unknown;
  prevHash: string | null;
  hash: string | null;
}

export type ChainResult =
  | { ok: true; checked: number; lastHash: string }
  | { ok: false; checked: number; brokenId: string; problem: "prev_hash_mismatch" | "hash_mismatch"; message: string };

/**
 * Walks sealed rows in chain order: each must name the hash of the one before it and
 * carry the hash of its own content. Returns the first row that does not.
 */
export function verifyAuditRows(rows: Iterable<AuditRow>, start: { prevHash: string; checked: number } = { prevHash: GENESIS_HASH, checked: 0 }): ChainResult {
  let prev = start.prevHash;
  let checked = start.checked;
  for (const row of rows) {
    const id = String(row.id);
    if (row.prevHash !== prev) {
      return { ok: false, checked, brokenId: id, problem: "prev_hash_mismatch", message: `audit_log row ${id}: prev_hash ${row.prevHash} is not the hash of the row before it (${prev})` };
    }
    const expected = auditHash(prev, { ...row, details: row.details as never });
    if (expected !== row.hash) {
      return { ok: false, checked, brokenId: id, problem: "hash_mismatch", message: `audit_log row ${id}: its content does not match its hash (stored ${row.hash}, recomputed ${expected})` };
    }
    prev = row.hash!;
    checked++;
  }
  return { ok: true, checked, lastHash: prev };
}

/**
 * The whole chain of a database in chain order (chain_seq), in batches, after sealing what
 * is committed and not sealed yet (server/audit/seal-audit-log.ts).
 */
export async function verifyAuditChain(db: Db, opts: { batchSize?: number } = {}): Promise<ChainResult> {
  const batchSize = opts.batchSize ?? 1000;
  await sealAll(db);
  let state = { prevHash: GENESIS_HASH, checked: 0 };
  let after: bigint | null = null;
  for (;;) {
    const batch: (AuditRow & { chainSeq: bigint | null })[] = await db.auditLog.findMany({
      where: after === null ? { chainSeq: { not: null } } : { chainSeq: { gt: after } },
      orderBy: { chainSeq: "asc" },
      take: batchSize,
    });
    if (batch.length === 0) return { ok: true, checked: state.checked, lastHash: state.prevHash };
    const result = verifyAuditRows(batch, state);
    if (!result.ok) return result;
    state = { prevHash: result.lastHash, checked: result.checked };
    after = batch[batch.length - 1]!.chainSeq;
  }
}
