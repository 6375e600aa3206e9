import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { auditContentHash, auditHash, recordAudit } from "./record-audit";
import { sealAll } from "./seal-audit-log";

const db = getDb();

describe("the audit log", () => {
  it("chains each entry to the one before it", async () => {
    await recordAudit(db, { actorType: "system", action: "test.first", details: { b: 1, a: [2] } });
    await recordAudit(db, { actorType: "system", action: "test.second" });
    // Appended unchained, without a lock; the sealer chains them after the commit.
    const unsealed = await db.auditLog.findMany({ orderBy: { id: "desc" }, take: 2 });
    expect(unsealed.map((r) => [r.chainSeq, r.hash])).toEqual([[null, null], [null, null]]);
    expect(unsealed[1]!.contentHash).toBe(auditContentHash({ ...unsealed[1]!, details: unsealed[1]!.details as never }));
    await sealAll(db);
    const [second, first] = await db.auditLog.findMany({ where: { id: { in: unsealed.map((r) => r.id) } }, orderBy: { id: "desc" } });
    expect(second!.chainSeq).toBe(first!.chainSeq! + 1n);
    expect(second!.prevHash).toBe(first!.hash);
    expect(auditHash(first!.prevHash!, { ...first!, details: first!.details as never })).toBe(first!.hash);
  });

  it("refuses updates and deletes; the only change allowed is sealing an unsealed entry's chain columns", async () => {
    await recordAudit(db, { actorType: "system", action: "test.immutable" });
    await expect(db.$executeRaw`UPDATE audit_log SET action = 'x'`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM audit_log`).rejects.toThrow(/append-only/);
    // Sealing by hand, together with a change of content, is refused like any other change.
    await expect(db.$executeRaw`UPDATE audit_log SET chain_seq = -id, prev_hash = 'x', hash = 'y', action = 'x' WHERE chain_seq IS NULL`).rejects.toThrow(/append-only/);
    await sealAll(db);
    await expect(db.$executeRaw`UPDATE audit_log SET hash = 'forged' WHERE action = 'test.immutable'`).rejects.toThrow(/append-only/);
  });

  it("writers append concurrently without a global lock, and the sealer chains every committed entry exactly once", async () => {
    const before = await db.auditLog.count();
    // Transactions that stay open while others append: under a chain lock they would queue.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const open = db.$transaction(async (tx) => {
      await recordAudit(tx, { actorType: "system", action: "test.long_open" });
      await held;
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordAudit(db, { actorType: "system", action: `test.concurrent_${i}` })));
    expect(await db.auditLog.count()).toBe(before + 20);
    await sealAll(db);
    release();
    await open;
    await sealAll(db);
    const rows = await db.auditLog.findMany({ orderBy: { chainSeq: "asc" } });
    expect(rows).toHaveLength(before + 21);
    expect(rows.every((r) => r.chainSeq !== null)).toBe(true);
    // The entry that committed last is chained last, although its id is lower than the others'.
    expect(rows.at(-1)!.action).toBe("test.long_open");
    rows.forEach((r, i) => expect(r.chainSeq).toBe(BigInt(i + 1)));
  });
});
