import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { auditHash, recordAudit } from "./record-audit";

const db = getDb();

describe("the audit log", () => {
  it("chains each entry to the one before it", async () => {
    await recordAudit(db, { actorType: "system", action: "test.first", details: { b: 1, a: [2] } });
    await recordAudit(db, { actorType: "system", action: "test.second" });
    const [second, first] = await db.auditLog.findMany({ orderBy: { id: "desc" }, take: 2 });
    expect(second!.prevHash).toBe(first!.hash);
    expect(auditHash(first!.prevHash, { ...first!, details: first!.details as never })).toBe(first!.hash);
  });

  it("refuses updates and deletes", async () => {
    await recordAudit(db, { actorType: "system", action: "test.immutable" });
    await expect(db.$executeRaw`UPDATE audit_log SET action = 'x'`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM audit_log`).rejects.toThrow(/append-only/);
  });
});
