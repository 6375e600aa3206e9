import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { createUser } from "@/test/factories";
import { MAX_FAILURES, SIGN_IN_FAILED, signIn } from "./sign-in";
import { currentTotp } from "./totp";

const db = getDb();

describe("signIn", () => {
  it("signs an agent in with email and password and records the attempt", async () => {
    const user = await createUser({ stores: ["STORE-T1"] });
    const result = await signIn(db, { email: user.email.toUpperCase(), password: user.password, ip: "10.0.0.1" });
    expect(result).toEqual({ ok: true, user: expect.objectContaining({ id: user.id, role: "customer_service_agent", storeIds: ["STORE-T1"] }) });
    const audit = await db.auditLog.findFirst({ where: { actorId: user.id, action: "auth.sign_in" } });
    expect(audit?.ip).toBe("10.0.0.1");
  });

  it("answers wrong email, wrong password and wrong TOTP with the same generic message", async () => {
    const admin = await createUser({ role: "system_admin", totp: true });
    const answers = [
      await signIn(db, { email: "nobody@test.example", password: "whatever" }),
      await signIn(db, { email: admin.email, password: "wrong", totp: currentTotp(admin.totpSecret!) }),
      await signIn(db, { email: admin.email, password: admin.password, totp: "000000" }),
      await signIn(db, { email: admin.email, password: admin.password }),
    ];
    for (const a of answers) expect(a).toEqual({ ok: false, message: SIGN_IN_FAILED });
    const reasons = (await db.loginAttempt.findMany({ where: { email: admin.email }, orderBy: { at: "asc" } })).map((a) => a.reason);
    expect(reasons).toEqual(["wrong_password", "wrong_totp", "missing_totp"]);
  });

  it("lets an admin in only with the current TOTP code", async () => {
    const admin = await createUser({ role: "system_admin", totp: true });
    const result = await signIn(db, { email: admin.email, password: admin.password, totp: currentTotp(admin.totpSecret!) });
    expect(result.ok).toBe(true);
  });

  it("locks the account for 15 minutes after five failures, even for the right password", async () => {
    const user = await createUser();
    const t0 = new Date();
    for (let i = 0; i < MAX_FAILURES; i++) await signIn(db, { email: user.email, password: "wrong" }, t0);
    expect((await signIn(db, { email: user.email, password: user.password }, t0)).ok).toBe(false);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.lockedUntil!.getTime()).toBe(t0.getTime() + 15 * 60 * 1000);
    const later = new Date(t0.getTime() + 16 * 60 * 1000);
    expect((await signIn(db, { email: user.email, password: user.password }, later)).ok).toBe(true);
  });

  it("audits every failed attempt", async () => {
    const user = await createUser();
    await signIn(db, { email: user.email, password: "wrong" });
    await signIn(db, { email: user.email, password: "wrong again" });
    expect(await db.auditLog.count({ where: { actorId: user.id, action: "auth.sign_in_failed" } })).toBe(2);
  });
});
