import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mintEmbedToken, signHs256 } from "@/examples/crm-host/mint-embed-token";
import { type EmbedClientKey, verifyEmbedToken } from "./verify-embed-token";

const SECRET = "test-secret-0123456789abcdefghijklmnop";
const ORIGIN = "https://crm.example.com";
const NOW = new Date("2026-11-28T12:00:00Z");
const T = Math.floor(NOW.getTime() / 1000);

const CLIENT: EmbedClientKey = { id: "acme-crm", active: true, allowedOrigins: [ORIGIN], secret: SECRET };
const findClient = async (id: string) => (id === CLIENT.id ? CLIENT : null);

function claims(overrides: Record<string, unknown> = {}) {
  return { iss: "acme-crm", sub: "Agent@Example.com", role: "customer_service_agent", origin: ORIGIN, iat: T - 10, exp: T + 110, jti: "6f1c2d8e-3b7a-4c1e-9f00-aa11bb22cc33", ...overrides };
}
const verify = (token: string, extra: { client?: EmbedClientKey; requestOrigin?: string | null; now?: Date } = {}) =>
  verifyEmbedToken(token, { findClient: extra.client ? async () => extra.client! : findClient, now: extra.now ?? NOW, requestOrigin: extra.requestOrigin });
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("verifyEmbedToken", () => {
  it("accepts a token the sample CRM host mints, with the email normalised", async () => {
    const token = mintEmbedToken({ clientId: "acme-crm", secret: SECRET, email: "Agent@Example.com", role: "store_manager", stores: ["STORE-001"], origin: ORIGIN, now: NOW });
    const result = await verify(token, { requestOrigin: ORIGIN });
    expect(result).toMatchObject({ ok: true, origin: ORIGIN, claims: { iss: "acme-crm", sub: "agent@example.com", role: "store_manager", stores: ["STORE-001"] } });
  });

  it("refuses a forged signature: another secret, or a payload changed after signing", async () => {
    expect(await verify(signHs256(claims(), "not-the-secret"))).toMatchObject({ ok: false, reason: "bad_signature" });
    const [header, , signature] = signHs256(claims(), SECRET).split(".");
    const tampered = `${header}.${b64(claims({ role: "store_manager" }))}.${signature}`;
    expect(await verify(tampered)).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("pins the algorithm: none, HS512, and RS256 (key confusion) are refused before any key is used", async () => {
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`;
    expect(await verify(unsigned)).toMatchObject({ ok: false }); // an empty signature segment is not even well formed
    expect(await verify(`${b64({ alg: "none" })}.${b64(claims())}.AAAA`)).toMatchObject({ ok: false, reason: "unsupported_alg" });

    const hs512Body = `${b64({ alg: "HS512", typ: "JWT" })}.${b64(claims())}`;
    const hs512 = `${hs512Body}.${createHmac("sha512", SECRET).update(hs512Body).digest("base64url")}`;
    expect(await verify(hs512)).toMatchObject({ ok: false, reason: "unsupported_alg" });

    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rsBody = `${b64({ alg: "RS256", typ: "JWT" })}.${b64(claims())}`;
    const rs256 = `${rsBody}.${sign("sha256", Buffer.from(rsBody), privateKey).toString("base64url")}`;
    expect(await verify(rs256)).toMatchObject({ ok: false, reason: "unsupported_alg" });

    // An HS256 header with a lowercase alg is not HS256.
    expect(await verify(signHs256(claims(), SECRET, { alg: "hs256" }))).toMatchObject({ ok: false, reason: "unsupported_alg" });
  });

  it("refuses an expired token (beyond the 30 s clock allowance) and accepts one just inside it", async () => {
    expect(await verify(signHs256(claims({ iat: T - 400, exp: T - 100 }), SECRET))).toMatchObject({ ok: false, reason: "expired" });
    expect(await verify(signHs256(claims({ iat: T - 200, exp: T - 30 }), SECRET))).toMatchObject({ ok: false, reason: "expired" });
    expect(await verify(signHs256(claims({ iat: T - 200, exp: T - 29 }), SECRET))).toMatchObject({ ok: true });
  });

  it("refuses a token that lives longer than five minutes, even when it is otherwise valid now", async () => {
    expect(await verify(signHs256(claims({ iat: T, exp: T + 301 }), SECRET))).toMatchObject({ ok: false, reason: "lifetime_too_long" });
    expect(await verify(signHs256(claims({ iat: T, exp: T + 3600 }), SECRET))).toMatchObject({ ok: false, reason: "lifetime_too_long" });
    expect(await verify(signHs256(claims({ iat: T, exp: T + 300 }), SECRET))).toMatchObject({ ok: true });
  });

  it("refuses a token issued in the future (a wrong clock) and one with exp before iat", async () => {
    expect(await verify(signHs256(claims({ iat: T + 120, exp: T + 240 }), SECRET))).toMatchObject({ ok: false, reason: "not_yet_valid" });
    expect(await verify(signHs256(claims({ nbf: T + 200 }), SECRET))).toMatchObject({ ok: false, reason: "not_yet_valid" });
    expect(await verify(signHs256(claims({ iat: T, exp: T - 1 }), SECRET))).toMatchObject({ ok: false, reason: "invalid_claims" });
  });

  it("refuses an origin the client did not register, and a request that came from another origin than the token names", async () => {
    expect(await verify(signHs256(claims({ origin: "https://evil.example" }), SECRET))).toMatchObject({ ok: false, reason: "wrong_origin" });
    expect(await verify(signHs256(claims({ origin: `${ORIGIN}/path` }), SECRET))).toMatchObject({ ok: false, reason: "wrong_origin" });
    expect(await verify(signHs256(claims(), SECRET), { requestOrigin: "https://evil.example" })).toMatchObject({ ok: false, reason: "wrong_origin" });
    expect(await verify(signHs256(claims(), SECRET), { requestOrigin: null })).toMatchObject({ ok: true });
  });

  it("refuses unknown and inactive clients, and a client whose secret cannot be decrypted", async () => {
    expect(await verify(signHs256(claims({ iss: "nobody" }), SECRET))).toMatchObject({ ok: false, reason: "unknown_client" });
    expect(await verify(signHs256(claims(), SECRET), { client: { ...CLIENT, active: false } })).toMatchObject({ ok: false, reason: "inactive_client" });
    expect(await verify(signHs256(claims(), SECRET), { client: { ...CLIENT, secret: null } })).toMatchObject({ ok: false, reason: "unknown_client" });
  });

  it("needs every claim: sub as an email, a known role, a jti of at least 16 characters; admins may not embed", async () => {
    for (const missing of ["sub", "role", "origin", "iat", "exp", "jti"]) {
      const c: Record<string, unknown> = claims();
      delete c[missing];
      expect(await verify(signHs256(c, SECRET)), missing).toMatchObject({ ok: false, reason: "invalid_claims" });
    }
    expect(await verify(signHs256(claims({ sub: "not-an-email" }), SECRET))).toMatchObject({ ok: false, reason: "invalid_claims" });
    expect(await verify(signHs256(claims({ role: "superuser" }), SECRET))).toMatchObject({ ok: false, reason: "invalid_claims" });
    expect(await verify(signHs256(claims({ jti: "short" }), SECRET))).toMatchObject({ ok: false, reason: "invalid_claims" });
    expect(await verify(signHs256(claims({ role: "system_admin" }), SECRET))).toMatchObject({ ok: false, reason: "role_not_allowed" });
  });

  it("refuses malformed tokens without throwing", async () => {
    for (const token of ["", "a.b", "a.b.c.d", "!!.??.**", `${b64({ alg: "HS256" })}.bm90IGpzb24.AAAA`, "x".repeat(9000)]) {
      expect(await verify(token), token.slice(0, 20)).toMatchObject({ ok: false });
    }
    expect(await verify(signHs256(claims(), SECRET, { alg: "HS256", typ: "JWE" }))).toMatchObject({ ok: false, reason: "malformed" });
  });
});
