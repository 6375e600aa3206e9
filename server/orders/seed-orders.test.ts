import { describe, expect, it } from "vitest";
import type { Actor } from "@/server/auth/permissions";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { buildSeedOrders, exampleAOrder, seedOrders } from "@/server/dev/seed-orders";
import { createUser } from "@/test/factories";

const db = getDb();

describe("development seed orders", () => {
  it("are the same 60 orders on every build, each channel + externalId once, examples A–C first", () => {
    const orders = buildSeedOrders();
    expect(buildSeedOrders()).toEqual(orders);
    expect(orders).toHaveLength(60);
    expect(new Set(orders.map((o) => `${o.channel}/${o.externalId}`)).size).toBe(60);
    expect(orders.slice(0, 3).map((o) => o.externalId)).toEqual(["WEB-EXAMPLE-A", "WEB-EXAMPLE-B", "WEB-EXAMPLE-C"]);
    expect(orders[0]).toEqual(exampleAOrder());
  });

  it("import through importOrder once, skip on a second run, and cover the mix the UI needs", async () => {
    const user = await createUser();
    const actor: Actor = { kind: "api_key", userId: user.id, email: user.email, name: user.name, role: user.role, storeIds: null, scopes: ["orders:write"], channel: "seed" };
    expect(await seedOrders(db, actor)).toEqual({ created: 60, skipped: 0 });
    expect(await seedOrders(db, actor)).toEqual({ created: 0, skipped: 60 });

    const externalIds = buildSeedOrders().map((o) => o.externalId);
    const orders = numbered(await db.order.findMany({ where: { externalId: { in: externalIds } }, include: { lines: { orderBy: { position: "asc" } }, tenders: { orderBy: { position: "asc" } }, discounts: true } }));
    expect(orders).toHaveLength(60);
    expect(await db.auditLog.count({ where: { actorId: user.id, action: "order.imported", channel: "seed" } })).toBe(60);

    expect(new Set(orders.map((o) => o.currency))).toEqual(new Set(["USD", "EUR", "GBP", "JPY"]));
    expect(new Set(orders.map((o) => o.storeId))).toEqual(new Set(["STORE-001", "STORE-002", "STORE-003"]));
    const tenderMixes = new Set(orders.map((o) => o.tenders.map((t) => `${t.method}/${t.provider}`).join("+")));
    for (const mix of ["card/stripe", "card/adyen", "paypal/paypal", "card/stripe+gift_card/internal", "paypal/paypal+gift_card/internal"]) expect(tenderMixes).toContain(mix);
    const lines = orders.flatMap((o) => o.lines);
    expect(lines.some((l) => l.shipped > 0 && l.shipped < l.quantity)).toBe(true);
    expect(lines.some((l) => l.released > 0)).toBe(true);
    expect(orders.some((o) => o.tenders.some((t) => t.provider !== "internal" && t.captured > 0))).toBe(true);
    expect(orders.filter((o) => o.tenders.every((t) => t.provider === "internal" || t.captured === 0)).length).toBeGreaterThan(20);
    expect(orders.filter((o) => o.discounts.length > 0).length).toBeGreaterThan(5);
    expect(orders.filter((o) => o.shippingAmount > 0).length).toBeGreaterThan(5);
    // Above the USD 500.00 agent limit with every unit still cancellable: approvals needed.
    const overLimit = orders.filter((o) => o.currency === "USD" && o.total > 50_000 && o.lines.every((l) => l.shipped + l.released === 0));
    expect(overLimit.length).toBeGreaterThanOrEqual(3);

    const a = orders.find((o) => o.externalId === "WEB-EXAMPLE-A")!;
    expect(a).toMatchObject({ storeId: "STORE-001", currency: "USD", total: 35_099, shippingAmount: 1000, shippingTax: 0 });
    expect(a.lines.map((l) => [l.lineId, l.quantity, l.unitPrice, l.tax, l.orderDiscountShare])).toEqual([["A", 3, 10_000, 2228, 3000], ["B", 1, 5000, 371, 500]]);
    expect(a.tenders.map((t) => [t.tenderId, t.method, t.provider, t.providerReference, t.authorized, t.captured])).toEqual([
      ["T1", "card", "stripe", "pi_example_a", 30_099, 0],
      ["T2", "gift_card", "internal", "GC-EXAMPLE-A", 5000, 5000],
    ]);
    const b = orders.find((o) => o.externalId === "WEB-EXAMPLE-B")!;
    expect(b).toMatchObject({ currency: "JPY", total: 3190 });
    expect(b.lines.map((l) => [l.quantity, l.unitPrice, l.tax, l.orderDiscountShare])).toEqual([[3, 1000, 290, 100]]);
  });
});
