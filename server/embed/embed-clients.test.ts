import { describe, expect, it, vi } from "vitest";
import { GET as listRoute, POST as registerRoute } from "@/app/api/embed/clients/route";
import { PATCH as updateRoute } from "@/app/api/embed/clients/[clientId]/route";
import { getDb } from "@/server/db/client";
import { createApiKey, unique } from "@/test/factories";
import { callRoute } from "@/test/rest";
import { actorFor } from "@/test/saga-harness";
import { decryptClientSecret, encryptClientSecret } from "./client-secret";
import { framingOrigin } from "./frame-ancestors";
import { listEmbedClients } from "./list-embed-clients";
import { registerEmbedClient } from "./register-embed-client";
import { updateEmbedClient } from "./update-embed-client";
import { frameAncestorsValue, normalizeOrigin } from "./origins";
import { newEmbedSession, signEmbedSession } from "@/server/auth/embed-session";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId }, expires: new Date(Date.now() + 60_000).toISOString() } : null),
}));

const db = getDb();
const id = () => unique("crm").toLowerCase();

describe("origins", () => {
  it("accepts exactly scheme://host[:port] and normalises case", () => {
    expect(normalizeOrigin("https://CRM.example.com")).toBe("https://crm.example.com");
    expect(normalizeOrigin("http://127.0.0.1:3001")).toBe("http://127.0.0.1:3001");
    expect(normalizeOrigin("https://crm.example.com/")).toBe("https://crm.example.com");
    for (const bad of ["https://crm.example.com/path", "https://crm.example.com?q", "https://u:p@crm.example.com", "javascript:alert(1)", "*", "https://*.example.com", "https://crm.example.com:443", "https://a.com https://b.com", "https://a.com;script-src *", "'self'", ""]) {
      expect(normalizeOrigin(bad), bad).toBeNull();
    }
  });

  it("builds a frame-ancestors list that cannot be widened by a stored value", () => {
    expect(frameAncestorsValue([])).toBe("'none'");
    expect(frameAncestorsValue(["https://a.example", "https://a.example", "https://b.example"])).toBe("https://a.example https://b.example");
    expect(frameAncestorsValue(["*", "https://a.example; script-src *"])).toBe("'none'");
  });
});

describe("client secrets at rest", () => {
  it("round-trip only under the same client id and key", () => {
    const stored = encryptClientSecret("acme", "s3cret");
    expect(stored).not.toContain("s3cret");
    expect(decryptClientSecret("acme", stored)).toBe("s3cret");
    expect(decryptClientSecret("other", stored)).toBeNull();
    expect(decryptClientSecret("acme", stored, Buffer.alloc(32, 1))).toBeNull();
    expect(decryptClientSecret("acme", "v1.garbage")).toBeNull();
  });
});

describe("managing embed clients", () => {
  it("an admin registers a client: the secret is answered once and stored encrypted; the registration is audited", async () => {
    const admin = await actorFor("system_admin");
    const clientId = id();
    const created = await registerEmbedClient({ db, actor: admin }, { id: clientId, name: " Acme CRM ", allowedOrigins: ["https://CRM.acme.example", "https://crm.acme.example"] });
    expect(created).toMatchObject({ id: clientId, name: "Acme CRM", allowedOrigins: ["https://crm.acme.example"], active: true });
    expect(created.secret).toMatch(/^pce_[A-Za-z0-9_-]{43}$/);
    const row = await db.embedClient.findUniqueOrThrow({ where: { id: clientId } });
    expect(row.secretCiphertext).not.toContain(created.secret);
    expect(decryptClientSecret(clientId, row.secretCiphertext)).toBe(created.secret);
    expect(await db.auditLog.findFirst({ where: { action: "embed_client.registered", entityId: clientId } })).toMatchObject({ actorId: admin.userId });
    const listed = (await listEmbedClients({ db, actor: admin })).find((c) => c.id === clientId);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty("secret");
    expect(listed).not.toHaveProperty("secretCiphertext");
  });

  it("refuses non-admins, bad origins, plain http outside loopback, and a duplicate id", async () => {
    const admin = await actorFor("system_admin");
    const manager = await actorFor("store_manager", ["STORE-001"]);
    await expect(registerEmbedClient({ db, actor: manager }, { id: id(), name: "x", allowedOrigins: ["https://a.example"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(registerEmbedClient({ db, actor: admin }, { id: id(), name: "x", allowedOrigins: ["https://a.example/path"] })).rejects.toThrow();
    await expect(registerEmbedClient({ db, actor: admin }, { id: id(), name: "x", allowedOrigins: ["http://crm.example.com"] })).rejects.toThrow(/https/);
    await expect(registerEmbedClient({ db, actor: admin }, { id: id(), name: "x", allowedOrigins: [] })).rejects.toThrow();
    const clientId = id();
    await registerEmbedClient({ db, actor: admin }, { id: clientId, name: "x", allowedOrigins: ["https://a.example"] });
    await expect(registerEmbedClient({ db, actor: admin }, { id: clientId, name: "y", allowedOrigins: ["https://b.example"] })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("rotating the secret makes the old one useless; deactivating is audited", async () => {
    const admin = await actorFor("system_admin");
    const clientId = id();
    const created = await registerEmbedClient({ db, actor: admin }, { id: clientId, name: "x", allowedOrigins: ["https://a.example"] });
    const rotated = await updateEmbedClient({ db, actor: admin }, clientId, { rotateSecret: true });
    expect("secret" in rotated && rotated.secret).toBeTruthy();
    const row = await db.embedClient.findUniqueOrThrow({ where: { id: clientId } });
    expect(decryptClientSecret(clientId, row.secretCiphertext)).not.toBe(created.secret);
    expect(await updateEmbedClient({ db, actor: admin }, clientId, { active: false })).toMatchObject({ active: false });
    expect(await db.auditLog.count({ where: { action: "embed_client.updated", entityId: clientId } })).toBe(2);
    await expect(updateEmbedClient({ db, actor: admin }, "no-such-client", { active: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the framing allowlist", () => {
  it("is the session's own origin with a session, the allowlisted framing page without one, and nobody otherwise", async () => {
    const admin = await actorFor("system_admin");
    const a = await registerEmbedClient({ db, actor: admin }, { id: id(), name: "a", allowedOrigins: ["https://a1.example", "https://a2.example"] });
    const off = await registerEmbedClient({ db, actor: admin }, { id: id(), name: "off", allowedOrigins: ["https://off.example"] });
    await updateEmbedClient({ db, actor: admin }, off.id, { active: false });

    expect(await framingOrigin(db, { referer: "https://a1.example/crm/case/7" })).toBe("https://a1.example");
    expect(await framingOrigin(db, { referer: "https://off.example/" })).toBeNull();
    expect(await framingOrigin(db, { referer: "https://evil.example/" })).toBeNull();
    expect(await framingOrigin(db, {})).toBeNull();

    const cookie = signEmbedSession(newEmbedSession({ uid: admin.userId, cid: a.id, origin: "https://a2.example", role: "customer_service_agent", stores: null }, new Date()));
    expect(await framingOrigin(db, { sessionCookie: cookie, referer: "https://a1.example/" })).toBe("https://a2.example");
    expect(await framingOrigin(db, { sessionCookie: `${cookie}x`, referer: "https://a1.example/" })).toBe("https://a1.example");
    // A session of one CRM does not let another CRM's origin frame it.
    const other = signEmbedSession(newEmbedSession({ uid: admin.userId, cid: off.id, origin: "https://a2.example", role: "customer_service_agent", stores: null }, new Date()));
    expect(await framingOrigin(db, { sessionCookie: other })).toBeNull();
    await updateEmbedClient({ db, actor: admin }, a.id, { allowedOrigins: ["https://a1.example"] });
    expect(await framingOrigin(db, { sessionCookie: cookie })).toBeNull();
  });
});

describe("the embed client routes", () => {
  it("are for a signed-in admin: 401 signed out, 403 for an admin's API key and for a manager", async () => {
    const body = { id: id(), name: "Route CRM", allowedOrigins: ["https://route.example"] };
    session.userId = null;
    expect((await callRoute(registerRoute, { body })).status).toBe(401);
    const admin = await actorFor("system_admin");
    const key = await createApiKey(admin.userId, ["orders:read", "orders:write", "cancellations:write", "cancellations:approve"]);
    expect((await callRoute(registerRoute, { key, body })).status).toBe(403);
    expect((await callRoute(listRoute, { key })).status).toBe(403);
    const manager = await actorFor("store_manager", ["STORE-001"]);
    session.userId = manager.userId;
    // A signed-in browser's writes come from our own pages (test/csrf.test.ts covers the others).
    const headers = { origin: "http://localhost", "sec-fetch-site": "same-origin" };
    expect((await callRoute(registerRoute, { body, headers })).status).toBe(403);

    session.userId = admin.userId;
    const created = await callRoute<{ id: string; secret: string }>(registerRoute, { body, headers });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBeTruthy();
    expect((await callRoute(registerRoute, { body: { ...body, allowedOrigins: ["nope"] }, headers })).status).toBe(400);
    const listed = await callRoute<{ clients: { id: string }[] }>(listRoute);
    expect(listed.body.clients.map((c) => c.id)).toContain(body.id);
    const updated = await callRoute(updateRoute, { method: "PATCH", params: { clientId: body.id }, body: { active: false }, headers });
    expect(updated).toMatchObject({ status: 200, body: { id: body.id, active: false } });
    session.userId = null;
  });
});
