import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, Role } from "@/server/auth/permissions";
import { storeFilterFor } from "@/server/auth/permissions";
import { getBusinessRules } from "@/server/rules/business-rules";
import { previewCancellation } from "@/server/cancellations/preview-cancellation";
import type { Db } from "@/server/db/client";
import { DEFAULT_BUSINESS_RULES, type BusinessRulesConfig } from "@/server/domain/approval-policy";
import { importOrder } from "@/server/orders/import-order";
import { unique } from "@/test/factories";
import { isolatedDatabase } from "../isolated-database.test-support";
import { ZBusinessRulesSchema } from "./business-rules.schema";
import { getBusinessRulesForAdmin } from "./get-business-rules-admin";
import { saveBusinessRules } from "./save-business-rules";

// The rules are global: these tests change them in a database of their own.
let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await isolatedDatabase("rules"));
});
afterAll(() => drop());

async function actor(role: Role): Promise<Actor> {
  const user = await db.user.create({ data: { email: `${unique("u")}@test.example`, name: `Test ${role}`, role, passwordHash: "x" } });
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role, storeIds: storeFilterFor(role, []), scopes: null, channel: "web" };
}

const copy = (): BusinessRulesConfig => structuredClone({ ...DEFAULT_BUSINESS_RULES, reasonCodes: DEFAULT_BUSINESS_RULES.reasonCodes.map((r) => ({ ...r })) });

describe("business rules", () => {
  it("refuses amounts that do not fit their currency, unknown currencies, duplicate codes and no active code", () => {
    const issues = (rules: unknown) => {
      const result = ZBusinessRulesSchema.safeParse(rules);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues(copy())).toEqual([]);
    expect(issues({ ...copy(), agentLimits: { USD: "500.001" } })).toEqual([expect.stringMatching(/^agentLimits\.USD: Amount "500.001" has 3 decimals; USD allows 2$/)]);
    expect(issues({ ...copy(), agentLimits: { JPY: "75000.5" } })).toEqual([expect.stringMatching(/^agentLimits\.JPY: /)]);
    expect(issues({ ...copy(), agentLimits: { XYZ: "1.00" } })).toEqual(["agentLimits.XYZ: XYZ is not an ISO 4217 currency code"]);
    expect(issues({ ...copy(), agentLimits: { USD: "-1.00" } })).toEqual([expect.stringMatching(/negative/)]);
    expect(issues({ ...copy(), managerLimitMultiple: 2.5 })).toEqual([expect.stringMatching(/^managerLimitMultiple: /)]);
    expect(issues({ ...copy(), reasonCodes: [...copy().reasonCodes, { code: "OTHER", requiresNote: false, active: true }] })).toEqual([
      "reasonCodes.7.code: reason code OTHER appears twice",
    ]);
    expect(issues({ ...copy(), reasonCodes: copy().reasonCodes.map((r) => ({ ...r, active: false })) })).toEqual(["reasonCodes: at least one reason code must stay active"]);
    expect(issues({ ...copy(), reasonCodes: [{ code: "lower case", requiresNote: false, active: true }] })[0]).toMatch(/^reasonCodes\.0\.code: /);
    expect(issues({ ...copy(), approvalExpiryHours: 0 })[0]).toMatch(/^approvalExpiryHours: /);
  });

  it("saves a new version, audited, that the very next preview obeys; a save from a stale version is refused", async () => {
    const admin = await actor("system_admin");
    const agent = await actor("customer_service_agent");
    const { orderId } = await importOrder({ db, actor: agent }, {
      channel: "web",
      externalId: unique("RULES"),
      storeId: "STORE-R",
      currency: "CAD",
      customer: { id: unique("CUST"), name: "Rules Customer", email: "rules@example.com" },
      lines: [{ lineId: "1", sku: "SKU", quantity: 2, unitPrice: "100.00", locationId: "DC" }],
      tenders: [{ tenderId: "T1", method: "gift_card", provider: "internal", providerReference: unique("GC"), authorized: "200.00", captured: "200.00" }],
    });
    const request = { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
    expect((await previewCancellation({ db, actor: agent }, orderId, request)).approvalRequired).toBe(false);

    const before = await getBusinessRulesForAdmin({ db });
    const rules = { ...before.rules, agentLimits: { ...before.rules.agentLimits, CAD: "150.00" } };
    const saved = await saveBusinessRules({ db, actor: admin }, { baseVersion: before.version, rules });
    expect(saved).toMatchObject({ version: before.version + 1, changed: ["agentLimits"] });

    const preview = await previewCancellation({ db, actor: agent }, orderId, request);
    expect(preview).toMatchObject({ approvalRequired: true, approvalReasons: ["limit"] });
    expect((await getBusinessRules(db)).rules.agentLimits.CAD).toBe("150.00");

    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "business_rules.updated", entityId: String(saved.version) } });
    expect(audit).toMatchObject({ actorId: admin.userId, details: { changed: ["agentLimits"], before: { agentLimits: { CAD: "650.00" } }, after: { agentLimits: { CAD: "150.00" } } } });

    await expect(saveBusinessRules({ db, actor: admin }, { baseVersion: before.version, rules })).rejects.toMatchObject({
      code: "INVALID_STATE",
      details: { currentVersion: saved.version },
    });
    const history = await getBusinessRulesForAdmin({ db });
    expect(history.history[0]).toMatchObject({ version: saved.version, createdBy: admin.name });
  });

  it("retires reason codes instead of deleting them; a retired code is refused, a new one with a required note works", async () => {
    const admin = await actor("system_admin");
    const current = await getBusinessRules(db);
    const without = current.rules.reasonCodes.filter((r) => r.code !== "PRICE_ERROR");
    await expect(saveBusinessRules({ db, actor: admin }, { baseVersion: current.version, rules: { ...current.rules, reasonCodes: without } })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      message: "Reason codes are retired, not deleted: PRICE_ERROR.",
    });
    const reasonCodes = [
      ...current.rules.reasonCodes.map((r) => (r.code === "PRICE_ERROR" ? { ...r, active: false } : r)),
      { code: "WAREHOUSE_DAMAGE", requiresNote: true, active: true },
    ];
    await saveBusinessRules({ db, actor: admin }, { baseVersion: current.version, rules: { ...current.rules, reasonCodes } });
    const { checkReason } = await import("@/server/domain/approval-policy");
    const { rules } = await getBusinessRules(db);
    expect(() => checkReason(rules, "PRICE_ERROR", undefined)).toThrow(/inactive/);
    expect(() => checkReason(rules, "WAREHOUSE_DAMAGE", undefined)).toThrow(/needs a note/);
    expect(() => checkReason(rules, "WAREHOUSE_DAMAGE", "Crushed box")).not.toThrow();
  });
});
