import { createHmac, randomUUID } from "node:crypto";

// What a CRM's backend does to open the embedded screens for one of its agents
// (docs/embedding.md): an HS256 JWT signed with the secret the admin gave it.
// Dependency-free on purpose, to show every byte; any JWT library does the same.

export interface EmbedTokenInput {
  /** The client id the admin registered (the token's `iss`). */
  clientId: string;
  secret: string;
  /** The agent's email in the partial-cancellation app (`sub`). */
  email: string;
  role: "customer_service_agent" | "store_manager";
  /** Optional: narrow the session to these stores. */
  stores?: string[];
  /** The origin of the CRM page that will frame the screens. */
  origin: string;
  /** Seconds, at most 300. */
  lifetimeS?: number;
  now?: Date;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function signHs256(payload: object, secret: string, header: object = { alg: "HS256", typ: "JWT" }): string {
  const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${body}.${b64url(createHmac("sha256", secret).update(body).digest())}`;
}

export function mintEmbedToken(input: EmbedTokenInput): string {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return signHs256(
    {
      iss: input.clientId,
      sub: input.email,
      role: input.role,
      ...(input.stores ? { stores: input.stores } : {}),
      origin: input.origin,
      iat,
      exp: iat + (input.lifetimeS ?? 120),
      jti: randomUUID(), // single use: the app refuses a second exchange of the same jti
    },
    input.secret,
  );
}
