import { recordAudit } from "@/server/audit/record-audit";
import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { encryptClientSecret, generateClientSecret } from "./client-secret";
import { ZRegisterEmbedClientSchema, ZUpdateEmbedClientSchema } from "./embed-clients.schema";

interface Deps {
  db: Db;
  actor: Actor;
}

// A CRM client can open sessions as any agent, so managing them is an admin's user-permission task.
function assertAdmin(actor: Actor) {
  if (!hasPermission(actor, "manage_user_permissions")) throw new AppError(ErrorCode.FORBIDDEN, "Only a system admin manages embed clients.");
}

function audit(tx: Prisma.TransactionClient, actor: Actor, entry: { action: string; entityId: string; details: Prisma.InputJsonValue }) {
  return recordAudit(tx, { actorType: actor.kind, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, channel: actor.channel, entity: "embed_client", ...entry });
}

function view(c: { id: string; name: string; allowedOrigins: string[]; active: boolean; createdAt: Date }) {
  return { id: c.id, name: c.name, allowedOrigins: c.allowedOrigins, active: c.active, createdAt: c.createdAt.toISOString() };
}

/** Registers a CRM; its HMAC secret is in this answer and, encrypted, in the database. */
export async function registerEmbedClient({ db, actor }: Deps, input: unknown) {
  assertAdmin(actor);
  const data = ZRegisterEmbedClientSchema.parse(input);
  const secret = generateClientSecret();
  try {
    const client = await db.$transaction(async (tx) => {
      const created = await tx.embedClient.create({
        data: { id: data.id, name: data.name, allowedOrigins: data.allowedOrigins, secretCiphertext: encryptClientSecret(data.id, secret) },
      });
      await audit(tx, actor, { action: "embed_client.registered", entityId: created.id, details: { name: data.name, allowedOrigins: data.allowedOrigins } });
      return created;
    });
    return { ...view(client), secret };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `An embed client ${data.id} already exists.`, [{ path: "id", message: "choose another id" }]);
    }
    throw error;
  }
}

export async function listEmbedClients({ db, actor }: Deps) {
  assertAdmin(actor);
  return (await db.embedClient.findMany({ orderBy: { createdAt: "asc" } })).map(view);
}

/** Renames, changes origins, (de)activates, or rotates the secret (the new one is in the answer). */
export async function updateEmbedClient({ db, actor }: Deps, id: string, input: unknown) {
  assertAdmin(actor);
  const data = ZUpdateEmbedClientSchema.parse(input);
  const secret = data.rotateSecret ? generateClientSecret() : undefined;
  return db.$transaction(async (tx) => {
    const existing = await tx.embedClient.findUnique({ where: { id } });
    if (!existing) throw new AppError(ErrorCode.NOT_FOUND, `There is no embed client ${id}.`);
    const updated = await tx.embedClient.update({
      where: { id },
      data: { name: data.name, allowedOrigins: data.allowedOrigins, active: data.active, secretCiphertext: secret ? encryptClientSecret(id, secret) : undefined },
    });
    await audit(tx, actor, {
      action: "embed_client.updated",
      entityId: id,
      details: { name: data.name ?? null, allowedOrigins: data.allowedOrigins ?? null, active: data.active ?? null, secretRotated: !!secret },
    });
    return secret ? { ...view(updated), secret } : view(updated);
  });
}
