import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/server/auth/permissions";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import type { TImportOrderInput } from "@/server/orders/import-order.schema";
import { unique } from "@/test/factories";
import { actorFor, importForTest } from "@/test/saga-harness";
import { getInsights } from "./get-insights";

const db = getDb();

function order(storeId: string, customerId: string, sku: string, quantity: number, unitPrice: string): TImportOrderInput {
  const total = (Number(unitPrice) * quantity).toFixed(2);
  return {
    channel: "web",
    externalId: unique("INS"),
    storeId,
    currency: "USD",
    customer: { id: customerId, name: "Insights Customer", email: `${unique("ins")}@example.com` },
    lines: [{ lineId: "1", sku, description: `Product ${sku}`, quantity, unitPrice, locationId: "DC-EAST" }],
    tenders: [{ tenderId: "T1", method: "gift_card", provider: "internal", providerReference: unique("GC"), authorized: total, captured: total }],
  };
}

async function cancel(actor: Actor, orderId: string, quantity: number, reason = "CUSTOMER_REQUEST") {
  const answer = await submitCancellation({ db, actor }, orderId, { orderLineIds: ["1"], quantities: [quantity], reason, refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  return answer.body;
}

describe("Insights", () => {
  it("counts a store's cancellations per day, reason, channel and product, approvals and outcomes, and flags a customer far above their usual rate", async () => {
    const store = unique("STORE");
    const agent = await actorFor("customer_service_agent");
    const manager = await actorFor("store_manager", [store]);
    const busy = unique("CUST");
    const a = await importForTest(order(store, busy, "SKU-A", 5, "10.00"));
    const b = await importForTest(order(store, busy, "SKU-B", 5, "10.00"));
    const c = await importForTest(order(store, busy, "SKU-A", 5, "10.00"));
    const big = await importForTest(order(store, unique("CUST"), "SKU-C", 1, "900.00"));
    await cancel(agent, a.orderId, 2, "ITEM_UNAVAILABLE");
    await cancel(agent, b.orderId, 1, "ITEM_UNAVAILABLE");
    await cancel(agent, c.orderId, 3, "PRICE_ERROR");
    const pending = await cancel(agent, big.orderId, 1);
    expect(pending.status).toBe("pending_approval");
    await decideApproval({ db, actor: manager }, pending.cancellationId, "rejected", { note: "No" });

    const view = await getInsights({ db, actor: manager }, { storeId: store });
    const today = new Date().toISOString().slice(0, 10);
    expect(view.perDay).toEqual([{ day: today, currency: "USD", cancellations: 4, completed: expect.any(Number), refunded: expect.stringMatching(/^\d+\.\d\d$/) }]);
    expect(Object.fromEntries(view.byReason.map((r) => [r.reason, r.cancellations]))).toEqual({ ITEM_UNAVAILABLE: 2, PRICE_ERROR: 1, CUSTOMER_REQUEST: 1 });
    expect(view.byStoreChannel).toEqual([{ storeId: store, channel: "web", cancellations: 4 }]);
    // The rejected request gave its unit back: SKU-C is not among the cancelled products.
    expect(view.topSkus.map((s) => [s.sku, s.units, s.cancellations])).toEqual([
      ["SKU-A", 5, 2],
      ["SKU-B", 1, 1],
    ]);
    expect(view.approvals).toMatchObject({ needed: 1, rejected: 1, approved: 0, pending: 0 });
    expect(view.approvals.leadTimeSeconds.p50).toBeGreaterThanOrEqual(0);
    expect(view.saga.completed + view.saga.manual + view.saga.processing + view.saga.failed).toBe(3);
    const flagged = view.anomalies.rows.find((r) => r.kind === "customer" && r.key === busy);
    expect(flagged).toMatchObject({ recent: 3, usualPerWeek: 0, ratio: 3 });
    expect(view.anomalies.rows.some((r) => r.kind === "store" && r.key === store)).toBe(true);
  });

  it("shows a store manager nothing of another store, and refuses an agent", async () => {
    const store = unique("STORE");
    const agent = await actorFor("customer_service_agent");
    const other = await actorFor("store_manager", [unique("STORE")]);
    const { orderId } = await importForTest(order(store, unique("CUST"), "SKU-X", 2, "10.00"));
    await cancel(agent, orderId, 1);
    const view = await getInsights({ db, actor: other }, { storeId: store });
    expect(view.stores).toEqual([]);
    expect(view.byReason).toEqual([]);
    expect(view.perDay).toEqual([]);
    const own = await getInsights({ db, actor: other }, {});
    expect(own.byStoreChannel.some((r) => r.storeId === store)).toBe(false);
    await expect(getInsights({ db, actor: agent }, {})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getInsights({ db, actor: other }, { dateFrom: "2026-02-01", dateTo: "2026-01-01" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });
});
