import { compactVerify, errors } from "jose";
import { z } from "zod";
import { ROLES } from "@/server/auth/permissions";
import { normalizeOrigin } from "./origins";

/** SPEC: an embed token lives at most five minutes. */
export const EMBED_TOKEN_MAX_LIFETIME_S = 300;
/** Clocks of the CRM's backend and ours may differ this much. */
export const EMBED_CLOCK_SKEW_S = 30;

export type EmbedTokenRefusal =
  | "malformed"
  | "unsupported_alg"
  | "unknown_client"
  | "inactive_client"
  | "bad_signature"
  | "invalid_claims"
  | "expired"
  | "not_yet_valid"
  | "lifetime_too_long"
  | "wrong_origin"
  | "role_not_allowed"
  | "replayed"
  | "unknown_user"
  | "role_mismatch";

export interface EmbedClientKey {
  id: string;
  active: boolean;
  allowedOrigins: string[];
  /** The decrypted HMAC secret; null when it cannot be read (wrong EMBED_SECRETS_KEY). */
  secret: string | null;
}

const ZEmbedTokenClaimsSchema = z.object({
  iss: z.string().min(1).max(64),
  sub: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  // Admins sign in with a second factor; a CRM cannot vouch for that, so no admin sessions in a frame.
  role: z.enum(ROLES),
  stores: z.array(z.string().min(1).max(64)).max(200).optional(),
  origin: z.string().max(255),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().nonnegative(),
  nbf: z.number().int().nonnegative().optional(),
  jti: z.string().min(16).max(128),
});
export type EmbedTokenClaims = z.infer<typeof ZEmbedTokenClaimsSchema>;

export type VerifyResult =
  | { ok: true; claims: EmbedTokenClaims; origin: string }
  | { ok: false; reason: EmbedTokenRefusal; claims?: Partial<Record<string, unknown>> };

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Checks an embed token (docs/embedding.md): HS256 only, signed with the secret of the
 * client named in `iss`, at most five minutes long, not expired, for an origin that client
 * registered, and, when the browser told us where the request came from, from that origin.
 * Single use is checked where the token is exchanged (it needs the database).
 */
export async function verifyEmbedToken(
  token: string,
  deps: { findClient: (id: string) => Promise<EmbedClientKey | null>; now: Date; requestOrigin?: string | null },
): Promise<VerifyResult> {
  const parts = token.split(".");
  if (token.length > 8192 || parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return { ok: false, reason: "malformed" };
  const header = decodeSegment(parts[0]!);
  const unverified = decodeSegment(parts[1]!);
  if (!header || !unverified) return { ok: false, reason: "malformed" };
  // The algorithm is pinned: `none`, HS512 or an RSA/EC algorithm (key confusion) never reach a key.
  if (header.alg !== "HS256") return { ok: false, reason: "unsupported_alg", claims: unverified };
  if (header.typ !== undefined && header.typ !== "JWT") return { ok: false, reason: "malformed", claims: unverified };
  if (typeof unverified.iss !== "string") return { ok: false, reason: "invalid_claims", claims: unverified };

  const client = await deps.findClient(unverified.iss);
  if (!client || client.secret === null) return { ok: false, reason: "unknown_client", claims: unverified };
  if (!client.active) return { ok: false, reason: "inactive_client", claims: unverified };

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, new TextEncoder().encode(client.secret), { algorithms: ["HS256"] }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: "bad_signature", claims: unverified };
    return { ok: false, reason: "malformed", claims: unverified };
  }

  const parsed = ZEmbedTokenClaimsSchema.safeParse(JSON.parse(Buffer.from(payload).toString("utf8")));
  if (!parsed.success) return { ok: false, reason: "invalid_claims", claims: unverified };
  const claims = parsed.data;

  const now = Math.floor(deps.now.getTime() / 1000);
  if (claims.exp <= claims.iat) return { ok: false, reason: "invalid_claims", claims };
  if (claims.exp - claims.iat > EMBED_TOKEN_MAX_LIFETIME_S) return { ok: false, reason: "lifetime_too_long", claims };
  if (now >= claims.exp + EMBED_CLOCK_SKEW_S) return { ok: false, reason: "expired", claims };
  if (claims.iat > now + EMBED_CLOCK_SKEW_S || (claims.nbf !== undefined && claims.nbf > now + EMBED_CLOCK_SKEW_S)) {
    return { ok: false, reason: "not_yet_valid", claims };
  }

  const origin = normalizeOrigin(claims.origin);
  if (!origin || !client.allowedOrigins.includes(origin)) return { ok: false, reason: "wrong_origin", claims };
  if (deps.requestOrigin && normalizeOrigin(deps.requestOrigin) !== origin) return { ok: false, reason: "wrong_origin", claims };
  if (claims.role === "system_admin") return { ok: false, reason: "role_not_allowed", claims };

  return { ok: true, claims, origin };
}
