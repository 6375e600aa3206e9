import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { clientSecretsKey } from "@/server/auth/embed-keys";

// A CRM's HMAC secret has to be readable to verify its tokens, so it cannot be
// hashed like an API key. It is encrypted instead: a database dump or a read-only
// SQL leak then does not let anyone mint sessions for agents. The client id is the
// associated data, so a ciphertext copied onto another client does not decrypt.
const VERSION = "v1";

export function generateClientSecret(): string {
  return `pce_${randomBytes(32).toString("base64url")}`;
}

export function encryptClientSecret(clientId: string, secret: string, key = clientSecretsKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(clientId, "utf8"));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** The secret, or null when the ciphertext is damaged, belongs to another client or another key. */
export function decryptClientSecret(clientId: string, stored: string, key = clientSecretsKey()): string | null {
  const [version, iv, body, tag] = stored.split(".");
  if (version !== VERSION || !iv || !body || !tag) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(clientId, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
