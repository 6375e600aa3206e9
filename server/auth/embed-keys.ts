import { hkdfSync } from "node:crypto";
import { getConfig } from "@/server/config";
import { logger } from "@/server/observability/logger";

// The same fallback as server/auth/next-auth.ts: the embed session is signed with
// NEXTAUTH_SECRET so that one secret rotation ends both kinds of session.
const DEV_SESSION_SECRET = "dev-only-secret-change-me-in-production";
// Dev and test only. Production sets EMBED_SECRETS_KEY (docs/embedding.md); it is
// deliberately not NEXTAUTH_SECRET, so rotating sessions does not orphan every CRM key.
const DEV_CLIENT_SECRETS_KEY = "dev-only-embed-secrets-key-change-me-in-production";

let warned = false;

function derive(material: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", material, "", `partial-cancellation/${purpose}`, 32));
}

/** HMAC key of the embed session cookie (domain-separated from next-auth's own use). */
export function embedSessionKey(): Buffer {
  return derive(getConfig().nextAuthSecret ?? DEV_SESSION_SECRET, "embed-session/v1");
}

/** AES-256-GCM key that wraps the CRM clients' HMAC secrets at rest. */
export function clientSecretsKey(): Buffer {
  const { embedSecretsKey: configured, nodeEnv } = getConfig();
  if (!configured && nodeEnv === "production" && !warned) {
    warned = true;
    logger().warn("EMBED_SECRETS_KEY is not set: embed client secrets are encrypted with the development key.");
  }
  return derive(configured ?? DEV_CLIENT_SECRETS_KEY, "embed-client-secret/v1");
}
