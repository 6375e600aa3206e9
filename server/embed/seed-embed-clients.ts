import type { Db } from "@/server/db/client";
import { encryptClientSecret } from "./client-secret";

// Development only (prisma/seed.ts never runs in production): the sample CRM host of
// examples/crm-host signs its tokens with this secret. Never register it anywhere real.
export const DEV_EMBED_CLIENT = {
  id: "dev-crm",
  name: "Sample CRM (development)",
  secret: "dev-crm-secret-for-local-development-only",
  allowedOrigins: ["http://127.0.0.1:3001"],
};

/** Safe to run twice: an existing dev-crm is left as it is. */
export async function seedEmbedClients(db: Db) {
  const c = DEV_EMBED_CLIENT;
  await db.embedClient.upsert({
    where: { id: c.id },
    update: {},
    create: { id: c.id, name: c.name, allowedOrigins: c.allowedOrigins, secretCiphertext: encryptClientSecret(c.id, c.secret) },
  });
}
