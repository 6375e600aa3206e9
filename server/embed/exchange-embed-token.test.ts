import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { mintEmbedToken, signHs256 } from "@/examples/crm-host/mint-embed-token";
import { getDb } from "@/server/db/client";
import { createUser, unique } from "@/test/factories";
import { actorFor } from "@/test/saga-harness";
import { encryptClientSecret } from "./client-secret";
import { readEmbedSession } from "@/server/auth/embed-session";
import { exchangeEmbedToken } from "./exchange-embed-token";
import { registerEmbedClient } from "./register-embed-client";
import { resolveEmbedSession } from "@/server/auth/resolve-embed-session";

const ORIGIN = "https://crm.example.com";
const db = getDb();
let client: { id: string; secret: string };

beforeAll(async () => {
  const admin = await actorFor("system_admin");
  const registered = await registerEmbedClient({ db, actor: admin }, { id: unique("crm").toLowerCase(), name: "Test CRM", allowedOrigins: [ORIGIN] });
  client = { id: registered.id, secret: registered.secret };
});

const token = (email: string, overrides: Partial<Parameters<typeof mintEmbedToken>[0]> = {}) =>
  mintEmbedToken({ clientId: client.id, secret: client.secret, email, role: "customer_service_agent", origin: ORIGIN, ...overrides });
const exchange = (t: string, requestOrigin: string | null = ORIGIN) => exchangeEmbedToken({ db }, { token: t, requestOrigin, ip: "203.0.113.9", userAgent: "vitest" });
const refusals = (clientId: string) =>
  db.auditLog.findMany({ where: { action: "embed.token_refused", entityId: clientId }, orderBy: { id: "asc" } }).then((rows) => rows.map((r) => (r.details as { reason: string }).reason));

describe("exchangeEmbedToken", () => {
  it("opens a session for an active agent, records the jti and an audit entry", async () => {
    const agent = await createUser();
    const t = token(agent.email.toUpperCase());
    const result = await exchange(t);
    expect(result).toMatchObject({ ok: true, userId: agent.id, clientId: client.id, origin: ORIGIN });
    if (!result.ok) return;
    expect(readEmbedSession(result.cookie, new Date())).toMatchObject({ uid: agent.id, cid: client.id, origin: ORIGIN, role: "customer_service_agent", stores: null });
    const jti = JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()).jti;
    expect(await db.embedTokenUse.count({ where: { clientId: client.id, jti } })).toBe(1);
    const audit = await db.auditLog.findFirst({ where: { action: "embed.session_started", actorId: agent.id } });
    expect(audit).toMatchObject({ actorType: "user", entityId: client.id, channel: `embed:${client.id}`, ip: "203.0.113.9" });
  });

  it("refuses a replayed token, and audits the replay", async () => {
    const agent = await createUser();
    const t = token(agent.email);
    expect(await exchange(t)).toMatchObject({ ok: true });
    expect(await exchange(t)).toEqual({ ok: false, reason: "replayed" });
    expect((await refusals(client.id)).filter((r) => r === "replayed").length).toBeGreaterThanOrEqual(1);
    expect(await db.auditLog.count({ where: { action: "embed.session_started", actorId: agent.id } })).toBe(1);
  });

  it("lets only one of several racing exchanges of the same token through", async () => {
    const agent = await createUser();
    const t = token(agent.email);
    const results = await Promise.all(Array.from({ length: 5 }, () => exchange(t)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "replayed")).toHaveLength(4);
  });

  it("refuses expired, forged and wrong-origin tokens with an audit entry each", async () => {
    const agent = await createUser();
    const before = (await refusals(client.id)).length;
    const expired = token(agent.email, { now: new Date(Date.now() - 10 * 60_000) });
    expect(await exchange(expired)).toEqual({ ok: false, reason: "expired" });
    const iat = Math.floor(Date.now() / 1000);
    const forged = signHs256({ iss: client.id, sub: agent.email, role: "customer_service_agent", origin: ORIGIN, iat, exp: iat + 60, jti: randomUUID() }, "guessed-secret");
    expect(await exchange(forged)).toEqual({ ok: false, reason: "bad_signature" });
    expect(await exchange(token(agent.email, { origin: "https://evil.example" }))).toEqual({ ok: false, reason: "wrong_origin" });
    expect(await exchange(token(agent.email), "https://evil.example")).toEqual({ ok: false, reason: "wrong_origin" });
    expect((await refusals(client.id)).slice(before)).toEqual(["expired", "bad_signature", "wrong_origin", "wrong_origin"]);
    const last = await db.auditLog.findFirst({ where: { action: "embed.token_refused", entityId: client.id }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ actorType: "anonymous", ip: "203.0.113.9", userAgent: "vitest" });
    expect(last?.details).toMatchObject({ reason: "wrong_origin", sub: agent.email, origin: ORIGIN, requestOrigin: "https://evil.example" });
    expect(await db.auditLog.count({ where: { action: "embed.session_started", actorId: agent.id } })).toBe(0);
  });

  it("never creates users: unknown, inactive and service users are refused, and so is a role the user does not have", async () => {
    expect(await exchange(token(`${unique("nobody")}@test.example`))).toEqual({ ok: false, reason: "unknown_user" });
    const inactive = await createUser();
    await db.user.update({ where: { id: inactive.id }, data: { active: false } });
    expect(await exchange(token(inactive.email))).toEqual({ ok: false, reason: "unknown_user" });
    const service = await createUser();
    await db.user.update({ where: { id: service.id }, data: { isServiceUser: true } });
    expect(await exchange(token(service.email))).toEqual({ ok: false, reason: "unknown_user" });
    const agent = await createUser();
    expect(await exchange(token(agent.email, { role: "store_manager" }))).toEqual({ ok: false, reason: "role_mismatch" });
  });

  it("refuses every token of a deactivated client and of a client whose secret was encrypted under another key", async () => {
    const agent = await createUser();
    const id = unique("off").toLowerCase();
    await db.embedClient.create({ data: { id, name: "Off", allowedOrigins: [ORIGIN], active: false, secretCiphertext: encryptClientSecret(id, "s3cret") } });
    expect(await exchange(mintEmbedToken({ clientId: id, secret: "s3cret", email: agent.email, role: "customer_service_agent", origin: ORIGIN }))).toEqual({ ok: false, reason: "inactive_client" });
    const other = unique("key").toLowerCase();
    await db.embedClient.create({ data: { id: other, name: "Other key", allowedOrigins: [ORIGIN], secretCiphertext: encryptClientSecret(other, "s3cret", Buffer.alloc(32, 7)) } });
    expect(await exchange(mintEmbedToken({ clientId: other, secret: "s3cret", email: agent.email, role: "customer_service_agent", origin: ORIGIN }))).toEqual({ ok: false, reason: "unknown_client" });
  });
});

describe("resolveEmbedSession", () => {
  const sameOrigin = { fetchSite: "same-origin", fetchMode: "cors", ip: "203.0.113.9" };

  async function sessionFor(user: { email: string }, overrides: Partial<Parameters<typeof mintEmbedToken>[0]> = {}) {
    const result = await exchange(token(user.email, overrides));
    if (!result.ok) throw new Error(result.reason);
    return `__Host-pc-embed=${result.cookie}`;
  }

  it("is the user of the frame, on the embed channel, with the stores the CRM narrowed to", async () => {
    const manager = await createUser({ role: "store_manager", stores: ["STORE-001", "STORE-002"] });
    const cookie = await sessionFor(manager, { role: "store_manager", stores: ["STORE-002", "STORE-009"] });
    const viewer = await resolveEmbedSession(db, { ...sameOrigin, cookie: `other=1; ${cookie}` });
    expect(viewer).toMatchObject({ hostOrigin: ORIGIN, actor: { kind: "user", userId: manager.id, role: "store_manager", storeIds: ["STORE-002"], channel: `embed:${client.id}`, scopes: null } });
    const agent = await createUser();
    const agentViewer = await resolveEmbedSession(db, { ...sameOrigin, cookie: await sessionFor(agent, { stores: ["STORE-003"] }) });
    expect(agentViewer?.actor.storeIds).toEqual(["STORE-003"]);
  });

  it("ends at once when the user is deactivated, the client switched off or the origin removed", async () => {
    const agent = await createUser();
    const cookie = await sessionFor(agent);
    expect(await resolveEmbedSession(db, { ...sameOrigin, cookie })).not.toBeNull();
    await db.user.update({ where: { id: agent.id }, data: { active: false } });
    expect(await resolveEmbedSession(db, { ...sameOrigin, cookie })).toBeNull();
    await db.user.update({ where: { id: agent.id }, data: { active: true } });

    await db.embedClient.update({ where: { id: client.id }, data: { allowedOrigins: ["https://other.example.com"] } });
    expect(await resolveEmbedSession(db, { ...sameOrigin, cookie })).toBeNull();
    await db.embedClient.update({ where: { id: client.id }, data: { allowedOrigins: [ORIGIN], active: false } });
    expect(await resolveEmbedSession(db, { ...sameOrigin, cookie })).toBeNull();
    await db.embedClient.update({ where: { id: client.id }, data: { active: true } });
    expect(await resolveEmbedSession(db, { ...sameOrigin, cookie })).not.toBeNull();
  });

  it("does not count for cross-site requests other than a GET navigation of the frame (CSRF)", async () => {
    const agent = await createUser();
    const cookie = await sessionFor(agent);
    expect(await resolveEmbedSession(db, { cookie, fetchSite: "cross-site", fetchMode: "navigate" })).not.toBeNull();
    expect(await resolveEmbedSession(db, { cookie, fetchSite: "cross-site", fetchMode: "navigate", origin: "https://evil.example" })).toBeNull();
    expect(await resolveEmbedSession(db, { cookie, fetchSite: "cross-site", fetchMode: "cors", origin: "https://evil.example" })).toBeNull();
    expect(await resolveEmbedSession(db, { cookie, fetchSite: "same-site", fetchMode: "no-cors" })).toBeNull();
    expect(await resolveEmbedSession(db, { cookie, origin: "http://localhost:3000", host: "localhost:3000" })).not.toBeNull();
    expect(await resolveEmbedSession(db, { cookie, origin: "https://evil.example", host: "localhost:3000" })).toBeNull();
  });

  it("refuses a tampered or expired cookie", async () => {
    const agent = await createUser();
    const cookie = await sessionFor(agent);
    const [name, value] = cookie.split("=");
    const [body, mac] = value!.split(".");
    const payload = JSON.parse(Buffer.from(body!, "base64url").toString());
    const forged = `${name}=${Buffer.from(JSON.stringify({ ...payload, role: "store_manager" })).toString("base64url")}.${mac}`;
    expect(await resolveEmbedSession(db, { ...sameOrigin, cookie: forged })).toBeNull();
    expect(await resolveEmbedSession(db, { ...sameOrigin, cookie }, new Date(Date.now() + 61 * 60_000))).toBeNull();
  });
});
