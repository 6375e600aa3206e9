import { recordAudit } from "@/server/audit/record-audit";
import { type Actor, hasPermission } from "@/server/auth/permissions";
import { AppError, ErrorCode } from "@/server/domain/errors";
import type { Prisma } from "@/server/generated/prisma/client";

// A CRM client can open sessions as any agent, so managing them is an admin's user-permission task.
export function assertEmbedAdmin(actor: Actor) {
  if (!hasPermission(actor, "manage_user_permissions")) throw new AppError(ErrorCode.FORBIDDEN, "Only a system admin manages embed clients.");
}

export function recordEmbedClientAudit(tx: Prisma.TransactionClient, actor: Actor, entry: { action: string; entityId: string; details: Prisma.InputJsonValue }) {
  return recordAudit(tx, { actorType: actor.kind, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, channel: actor.channel, entity: "embed_client", ...entry });
}

/** What admins see of a client: never its secret. */
export function embedClientView(c: { id: string; name: string; allowedOrigins: string[]; active: boolean; createdAt: Date }) {
  return { id: c.id, name: c.name, allowedOrigins: c.allowedOrigins, active: c.active, createdAt: c.createdAt.toISOString() };
}
