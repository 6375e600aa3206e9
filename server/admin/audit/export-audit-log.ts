import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import type { AuditLog } from "@/server/generated/prisma/client";
import { paymentViewerFor } from "@/server/payments/payment-view";
import { recordAdminAudit } from "../admin-audit";
import { describeAuditEntries } from "./audit-entry-view";
import { auditWhere, ZAuditFiltersSchema } from "./audit-filters";
import { csvRow } from "./audit-csv";

export const AUDIT_CSV_COLUMNS = [
  "id", "at", "actor_type", "actor_id", "actor_name", "actor_email", "action", "action_label", "entity", "entity_id", "order_id", "order_external_id",
  "amount", "currency", "ip", "user_agent", "channel", "details", "prev_hash", "hash",
] as const;

const BATCH = 500;

/**
 * The matching entries as CSV, oldest first, read in batches so that an export
 * of the whole log never sits in memory. The export itself is audited first.
 */
export async function exportAuditLog({ db, actor }: { db: Db; actor: Actor }, input: unknown): Promise<AsyncGenerator<string>> {
  const filters = ZAuditFiltersSchema.parse(input ?? {});
  await recordAdminAudit(db, actor, { action: "audit.exported", entity: "audit_log", entityId: "export", details: filters });
  const where = await auditWhere(db, filters);
  const payment = paymentViewerFor(actor);
  return (async function* rows() {
    yield csvRow([...AUDIT_CSV_COLUMNS]);
    if (!where) return;
    let after: bigint | null = null;
    for (;;) {
      const batch: AuditLog[] = await db.auditLog.findMany({
        where: after === null ? where : { AND: [where, { id: { gt: after } }] },
        orderBy: { id: "asc" },
        take: BATCH,
      });
      if (batch.length === 0) return;
      yield (await describeAuditEntries(db, batch, payment))
        .map((e) =>
          csvRow([
            e.id, e.at, e.actorType, e.actorId, e.actorName, e.actorEmail, e.action, e.actionLabel, e.entity, e.entityId, e.orderId, e.orderExternalId,
            e.amount, e.currency, e.ip, e.userAgent, e.channel, e.details, e.prevHash, e.hash,
          ]),
        )
        .join("");
      after = batch[batch.length - 1]!.id;
      if (batch.length < BATCH) return;
    }
  })();
}
