import { describe, expect, it } from "vitest";
import { authenticateApiKey } from "@/server/auth/api-keys";
import { signIn } from "@/server/auth/sign-in";
import { currentTotp } from "@/server/auth/totp";
import { getDb } from "@/server/db/client";
import { createApiKey as createTestKey, unique } from "@/test/factories";
import { actorFor } from "@/test/saga-harness";
import { createUser } from "./create-user";
import { listLoginAttempts } from "./list-login-attempts";
import { listUsers } from "./list-users";
import { resetTotp } from "./reset-totp";
import { updateUser } from "./update-user";

const db = getDb();

describe("users and access", () => {
  it("creates a store manager who signs in with the temporary password shown once; the hash is all that is stored", async () => {
    const admin = await actorFor("system_admin");
    const store = unique("STORE");
    await db.store.create({ data: { id: store, name: store } });
    const email = `${unique("new")}@Example.com`;
    const created = await createUser({ db, actor: admin }, { email: ` ${email} `, name: "New Manager", role: "store_manager", storeIds: [store] });
    expect(created.temporaryPassword).toMatch(/^[\w-]{16}$/);
    expect(created.totpSecret).toBeNull();
    const row = await db.user.findUniqueOrThrow({ where: { id: created.userId }, include: { stores: true } });
    expect(row.email).toBe(email.toLowerCase());
    expect(row.passwordHash).not.toContain(created.temporaryPassword!);
    expect(row.stores.map((s) => s.storeId)).toEqual([store]);
    const result = await signIn(db, { email, password: created.temporaryPassword! });
    expect(result).toMatchObject({ ok: true, user: { role: "store_manager", storeIds: [store] } });

    await expect(createUser({ db, actor: admin }, { email, name: "Again", role: "customer_service_agent" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(createUser({ db, actor: admin }, { email: `${unique("m")}@example.com`, name: "No store", role: "store_manager", storeIds: [] })).rejects.toMatchObject({
      message: "A store manager needs at least one store.",
    });
    await expect(createUser({ db, actor: admin }, { email: `${unique("m")}@example.com`, name: "Ghost store", role: "store_manager", storeIds: ["NOPE-1"] })).rejects.toMatchObject({
      message: "Unknown store: NOPE-1.",
    });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "user.created", entityId: created.userId } });
    expect(audit.actorId).toBe(admin.userId);
    expect(JSON.stringify(audit.details)).not.toContain(created.temporaryPassword!);
  });

  it("a new system admin needs the TOTP secret shown once; a reset replaces it", async () => {
    const admin = await actorFor("system_admin");
    const email = `${unique("adm")}@example.com`;
    const created = await createUser({ db, actor: admin }, { email, name: "Second Admin", role: "system_admin" });
    expect(created.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(created.totpUri).toContain("otpauth://totp/");
    expect(await signIn(db, { email, password: created.temporaryPassword! })).toMatchObject({ ok: false });
    expect(await signIn(db, { email, password: created.temporaryPassword!, totp: currentTotp(created.totpSecret!) })).toMatchObject({ ok: true });

    const reset = await resetTotp({ db, actor: admin }, { userId: created.userId });
    expect(reset.totpSecret).not.toBe(created.totpSecret);
    expect(await signIn(db, { email, password: created.temporaryPassword!, totp: currentTotp(created.totpSecret!) })).toMatchObject({ ok: false });
    expect(await signIn(db, { email, password: created.temporaryPassword!, totp: currentTotp(reset.totpSecret) })).toMatchObject({ ok: true });
    const agent = await actorFor("customer_service_agent");
    await expect(resetTotp({ db, actor: admin }, { userId: agent.userId })).rejects.toMatchObject({ message: "Only system admins sign in with a second factor." });
  });

  it("changes role and stores, deactivates (its API keys stop at once), and never lets an admin lock themselves out", async () => {
    const admin = await actorFor("system_admin");
    const store = unique("STORE");
    await db.store.create({ data: { id: store, name: store } });
    const agent = await actorFor("customer_service_agent");
    const key = await createTestKey(agent.userId, ["orders:read"]);
    expect(await authenticateApiKey(db, key)).toMatchObject({ role: "customer_service_agent", storeIds: null });

    await updateUser({ db, actor: admin }, { userId: agent.userId, role: "store_manager", storeIds: [store], active: true });
    expect(await authenticateApiKey(db, key)).toMatchObject({ role: "store_manager", storeIds: [store] });
    await updateUser({ db, actor: admin }, { userId: agent.userId, role: "store_manager", storeIds: [store], active: false });
    expect(await authenticateApiKey(db, key)).toBeNull();
    const listed = (await listUsers({ db })).users.find((u) => u.userId === agent.userId);
    expect(listed).toMatchObject({ active: false, role: "store_manager", storeIds: [store], activeApiKeys: 1 });
    expect(await db.auditLog.count({ where: { action: "user.deactivated", entityId: agent.userId } })).toBe(1);

    await expect(updateUser({ db, actor: admin }, { userId: admin.userId, role: "system_admin", storeIds: [], active: false })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(updateUser({ db, actor: admin }, { userId: admin.userId, role: "store_manager", storeIds: [store], active: true })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(updateUser({ db, actor: admin }, { userId: "00000000-0000-4000-8000-000000000000", role: "store_manager", storeIds: [store], active: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lists failed sign-ins with the reason and where they came from", async () => {
    const email = `${unique("nobody")}@example.com`;
    await signIn(db, { email, password: "wrong", ip: "203.0.113.9", userAgent: "curl/8" });
    const attempts = await listLoginAttempts({ db }, { email });
    expect(attempts).toEqual([expect.objectContaining({ email, success: false, reason: "unknown_or_inactive_account", ip: "203.0.113.9", userAgent: "curl/8" })]);
  });
});
