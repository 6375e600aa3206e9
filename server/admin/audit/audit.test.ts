import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/server/audit/record-audit";
import { sealAll } from "@/server/audit/seal-audit-log";
import { getDb, type Db } from "@/server/db/client";
import { unique } from "@/test/factories";
import { randomUUID } from "node:crypto";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { actorFor, importForTest } from "@/test/saga-harness";
import { isolatedDatabase } from "../isolated-database.test-support";
import { csvCell, csvRow } from "./audit-csv";
import { exportAuditLog } from "./export-audit-log";
import { searchAuditLog } from "./search-audit-log";
import { type AuditRow, GENESIS_HASH, verifyAuditChain, verifyAuditRows } from "./verify-audit-chain";

const shared = getDb();

/** `npm run audit:verify` against one database: its exit code and output. */
async function runVerifyScript(url: string) {
  try {
    const { stdout, stderr } = await promisify(execFile)("npx", ["tsx", "scripts/verify-audit-chain.ts"], { env: { ...process.env, DATABASE_URL: url } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe("the audit-chain verifier", () => {
  let db: Db;
  let url: string;
  let drop: () => Promise<void>;
  let rows: AuditRow[];
  beforeAll(async () => {
    // Tampering needs the append-only trigger off: in a database of its own, never the shared one.
    ({ db, url, drop } = await isolatedDatabase("audit"));
    for (let i = 0; i < 5; i++) {
      await recordAudit(db, { actorType: "system", action: `test.step${i}`, orderId: `ORDER-${i}`, details: { i, nested: { b: 2, a: 1 } } });
    }
    await sealAll(db);
    rows = await db.auditLog.findMany({ orderBy: { chainSeq: "asc" } });
  });
  afterAll(() => drop());

  it("accepts an untouched chain, from the database, from rows and through the script", async () => {
    expect(await verifyAuditChain(db, { batchSize: 2 })).toEqual({ ok: true, checked: 5, lastHash: rows[4]!.hash });
    expect(await runVerifyScript(url)).toEqual({ code: 0, output: `Audit chain intact: 5 entries, last hash ${rows[4]!.hash}.\n` });
    expect(verifyAuditRows(rows)).toMatchObject({ ok: true, checked: 5 });
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
  });

  it("names the first row whose content was changed, whose link was forged, or after a deleted row", () => {
    const edited = rows.map((r, i) => (i === 2 ? { ...r, action: "test.innocent" } : r));
    expect(verifyAuditRows(edited)).toMatchObject({ ok: false, brokenId: String(rows[2]!.id), problem: "hash_mismatch", checked: 2 });
    const details = rows.map((r, i) => (i === 1 ? { ...r, details: { i: 99, nested: { a: 1, b: 2 } } } : r));
    expect(verifyAuditRows(details)).toMatchObject({ ok: false, brokenId: String(rows[1]!.id), problem: "hash_mismatch" });
    const deleted = rows.filter((_, i) => i !== 3);
    expect(verifyAuditRows(deleted)).toMatchObject({ ok: false, brokenId: String(rows[4]!.id), problem: "prev_hash_mismatch" });
    const keyOrder = rows.map((r, i) => (i === 0 ? { ...r, details: { nested: { a: 1, b: 2 }, i: 0 } } : r));
    expect(verifyAuditRows(keyOrder)).toMatchObject({ ok: true });
  });

  it("catches a row tampered with in the database behind the trigger's back", async () => {
    const target = rows[3]!;
    await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update");
      await tx.$executeRaw`UPDATE audit_log SET order_id = 'ORDER-FORGED' WHERE id = ${target.id}`;
      await tx.$executeRawUnsafe("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
    });
    const result = await verifyAuditChain(db, { batchSize: 2 });
    expect(result).toMatchObject({ ok: false, brokenId: String(target.id), problem: "hash_mismatch", checked: 3 });
    if (!result.ok) expect(result.message).toContain(`audit_log row ${target.id}`);
    await expect(db.$executeRaw`UPDATE audit_log SET action = 'x'`).rejects.toThrow(/append-only/);
  });

  it("makes `npm run audit:verify` exit non-zero naming that row", async () => {
    const run = await runVerifyScript(url);
    expect(run.code).toBe(1);
    expect(run.output).toContain(`Audit chain BROKEN at row ${rows[3]!.id} (hash_mismatch), after 3 good entries.`);
  }, 60_000);
});

describe("an entry changed before the sealer chained it", () => {
  it("is caught all the same: its content no longer matches the content hash written with it", async () => {
    const { db, drop } = await isolatedDatabase("auditpending");
    try {
      for (let i = 0; i < 3; i++) await recordAudit(db, { actorType: "system", action: `test.pending${i}` });
      const [, target] = await db.auditLog.findMany({ orderBy: { id: "asc" } });
      expect(target!.hash).toBeNull();
      await db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update");
        await tx.$executeRaw`UPDATE audit_log SET action = 'test.forged' WHERE id = ${target!.id}`;
        await tx.$executeRawUnsafe("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
      });
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenId: String(target!.id), problem: "hash_mismatch", checked: 1 });
    } finally {
      await drop();
    }
  });
});

describe("the shared test database's audit log", () => {
  it("verifies end to end, whatever the other tests recorded", async () => {
    await recordAudit(shared, { actorType: "system", action: "test.chain_tail" });
    expect(await verifyAuditChain(shared)).toMatchObject({ ok: true });
  });
});

describe("CSV", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(" padded ")).toBe('" padded "');
    expect(csvCell({ a: 1, b: "x,y" })).toBe('"{""a"":1,""b"":""x,y""}"');
    expect(csvRow(["a", 1, null])).toBe("a,1,\r\n");
  });
});

describe("searching and exporting the audit log", () => {
  it("filters by actor (email or id), order, action and date, newest first, page by page", async () => {
    const admin = await actorFor("system_admin");
    const other = await actorFor("system_admin");
    const orderId = unique("ORDER");
    for (let i = 0; i < 3; i++) await recordAudit(shared, { actorType: "user", actorId: admin.userId, action: `test.search_${i}`, orderId });
    await recordAudit(shared, { actorType: "user", actorId: other.userId, action: "test.search_other", orderId });

    const byOrder = await searchAuditLog({ db: shared, actor: admin }, { orderId, limit: 2 });
    expect(byOrder.entries.map((e) => e.action)).toEqual(["test.search_other", "test.search_2"]);
    const next = await searchAuditLog({ db: shared, actor: admin }, { orderId, limit: 2, cursor: byOrder.nextCursor! });
    expect(next.entries.map((e) => e.action)).toEqual(["test.search_1", "test.search_0"]);
    expect(next.nextCursor).toBeNull();

    const byEmail = await searchAuditLog({ db: shared, actor: admin }, { orderId, actor: admin.email.toUpperCase() });
    expect(byEmail.entries).toHaveLength(3);
    expect(byEmail.entries[0]).toMatchObject({ actorEmail: admin.email, actorName: admin.name });
    expect((await searchAuditLog({ db: shared, actor: admin }, { orderId, actor: other.userId })).entries.map((e) => e.action)).toEqual(["test.search_other"]);
    expect((await searchAuditLog({ db: shared, actor: admin }, { orderId, action: "SEARCH_1" })).entries.map((e) => e.action)).toEqual(["test.search_1"]);
    expect((await searchAuditLog({ db: shared, actor: admin }, { orderId, actor: "nobody-at-all@nowhere.example" })).entries).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await searchAuditLog({ db: shared, actor: admin }, { orderId, dateFrom: today, dateTo: today })).entries).toHaveLength(4);
    expect((await searchAuditLog({ db: shared, actor: admin }, { orderId, dateTo: "2020-01-01" })).entries).toEqual([]);
  });

  it("exports the matching entries as CSV, oldest first, and audits the export", async () => {
    const admin = await actorFor("system_admin");
    const orderId = unique("ORDER");
    await recordAudit(shared, { actorType: "user", actorId: admin.userId, action: "test.export", orderId, userAgent: '=cmd|"/c calc"!A0', details: { note: "a,b" } });
    await recordAudit(shared, { actorType: "system", action: "test.export_2", orderId });
    let csv = "";
    for await (const chunk of await exportAuditLog({ db: shared, actor: admin }, { orderId })) csv += chunk;
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,actor_type,actor_id,actor_name,actor_email,action,action_label,entity,entity_id,order_id,order_external_id,amount,currency,ip,user_agent,channel,details,prev_hash,hash");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,user,${admin.userId},${admin.name},${admin.email},test.export,Test export,`);
    expect(lines[1]).toContain(`"'=cmd|""/c calc""!A0"`);
    expect(lines[1]).toContain('"{""note"":""a,b""}"');
    expect(lines[2]).toContain(",system,,,,test.export_2,Test export 2,");
    expect(await shared.auditLog.count({ where: { action: "audit.exported", actorId: admin.userId } })).toBe(1);
  });

  it("reads as a person would: actor by name, the action in words, the order by its external id, the amount in its currency, details as pairs", async () => {
    const admin = await actorFor("system_admin");
    const agent = await actorFor("customer_service_agent");
    const name = unique("Audrey Agent");
    await shared.user.update({ where: { id: agent.userId }, data: { name } });
    const externalId = unique("AUD");
    const total = "130.69";
    const { orderId } = await importForTest({
      channel: "web",
      externalId,
      storeId: "STORE-001",
      currency: "USD",
      customer: { id: unique("CUST"), name: "Audit Customer", email: "audit@example.com" },
      lines: [{ lineId: "1", sku: "SKU-AUD", description: "Kettle", quantity: 1, unitPrice: total, locationId: "DC-EAST" }],
      tenders: [{ tenderId: "T1", method: "gift_card", provider: "internal", providerReference: unique("GC"), authorized: total, captured: total }],
    });
    await submitCancellation({ db: shared, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });

    const byOrder = await searchAuditLog({ db: shared, actor: admin }, { order: externalId.toLowerCase() });
    const requested = byOrder.entries.find((e) => e.action === "cancellation.requested")!;
    expect(requested).toMatchObject({ actorName: name, actionLabel: "Cancellation requested", orderId, orderExternalId: externalId, amount: "130.69", currency: "USD" });
    expect(requested.detailList).toEqual(expect.arrayContaining([{ key: "total", value: "130.69 USD" }, { key: "status", value: "processing" }]));
    expect(byOrder.entries.every((e) => e.orderId === orderId)).toBe(true);

    const byName = await searchAuditLog({ db: shared, actor: admin }, { order: externalId, actor: name.slice(0, 12).toUpperCase() + name.slice(12) });
    expect(byName.entries.map((e) => e.action)).toEqual(["cancellation.requested"]);
    expect((await searchAuditLog({ db: shared, actor: admin }, { order: "NO-SUCH-ORDER" })).entries).toEqual([]);

    let csv = "";
    for await (const chunk of await exportAuditLog({ db: shared, actor: admin }, { order: externalId, action: "cancellation.requested" })) csv += chunk;
    const lines = csv.trimEnd().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,cancellation.requested,Cancellation requested,cancellation,`);
    expect(lines[1]).toContain(`,${orderId},${externalId},130.69,USD,`);
  });
});
