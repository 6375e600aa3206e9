import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { Prisma } from "@/server/generated/prisma/client";
import { encryptClientSecret, generateClientSecret } from "./client-secret";
import { assertEmbedAdmin, embedClientView, recordEmbedClientAudit } from "./embed-client-admin";
import { ZRegisterEmbedClientSchema } from "./embed-clients.schema";

/** Registers a CRM; its HMAC secret is in this answer and, encrypted, in the database. */
export async function registerEmbedClient({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  assertEmbedAdmin(actor);
  const data = ZRegisterEmbedClientSchema.parse(input);
  const secret = generateClientSecret();
  try {
    const client = await db.$transaction(async (tx) => {
      const created = await tx.embedClient.create({
        data: { id: data.id, name: data.name, allowedOrigins: data.allowedOrigins, secretCiphertext: encryptClientSecret(data.id, secret) },
      });
      await recordEmbedClientAudit(tx, actor, { action: "embed_client.registered", entityId: created.id, details: { name: data.name, allowedOrigins: data.allowedOrigins } });
      return created;
    });
    return { ...embedClientView(client), secret };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `An embed client ${data.id} already exists.`, [{ path: "id", message: "choose another id" }]);
    }
    throw error;
  }
}
