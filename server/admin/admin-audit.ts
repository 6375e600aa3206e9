import { recordAudit } from "@/server/audit/record-audit";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/generated/prisma/client";

/** The audit entry of an admin's change, with who did it and from where. */
export function recordAdminAudit(
  tx: Db | Prisma.TransactionClient,
  actor: Actor,
  entry: { action: string; entity: string; entityId: string; orderId?: string | null; details?: Prisma.InputJsonValue },
) {
  return recordAudit(tx, {
    actorType: actor.kind,
    actorId: actor.userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    channel: actor.channel,
    ...entry,
  });
}

