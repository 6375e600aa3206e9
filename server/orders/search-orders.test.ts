import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { unique } from "@/test/factories";
import { actorFor, exampleA, importForTest } from "@/test/saga-harness";
import type { TImportOrderInput } from "./import-order.schema";
import { searchOrders, uuidPrefixRange } from "./search-orders";

const db = getDb();

/*
 * Each test's orders carry a token of their own (in the external id, SKU, name, …), so a search
 * for it finds exactly those orders whatever else the database holds.
 */
function order(storeId: string, patch: { externalId?: string; channel?: TImportOrderInput["channel"]; name?: string; email?: string; sku?: string; description?: string; last4?: string; unitPrice?: string } = {}): TImportOrderInput {
  const base = exampleA(storeId);
  const price = patch.unitPrice ?? "100.00";
  return {
    ...base,
    channel: patch.channel ?? "web",
    externalId: patch.externalId ?? base.externalId,
    customer: { id: unique("CUST"), name: patch.name ?? "Ada Lovelace", email: patch.email ?? "ada@example.com" },
    lines: [{ lineId: "A", sku: patch.sku ?? "APP-SHIRT-RED-M", description: patch.description ?? "Oxford shirt, red, M", quantity: 1, unitPrice: price, tax: "0.00", locationId: "DC-EAST" }],
    discounts: [],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ ...base.tenders[0]!, authorized: price, last4: patch.last4 ?? "4242" }],
  };
}

const STORE_X = unique("STORE-SX");
const STORE_Y = unique("STORE-SY");

describe("searchOrders", () => {
  let agent: Awaited<ReturnType<typeof actorFor>>;
  beforeAll(async () => {
    agent = await actorFor("customer_service_agent");
  });
  const search = (query: string, extra: Record<string, unknown> = {}, actor = agent) => searchOrders({ db, actor }, { query, ...extra });

  it("finds an order by part of its external id in any case, and names an exact match so the UI can open it", async () => {
    const token = unique("EXT").toUpperCase();
    const { orderId } = await importForTest(order(STORE_X, { externalId: `${token}-100045` }));
    await importForTest(order(STORE_X, { externalId: `${token}-1000456` }));

    const partial = await search(token.toLowerCase());
    expect(partial.total).toBe(2);
    expect(partial.exactMatch).toBeNull();

    const exact = await search(`${token}-100045`.toLowerCase());
    expect(exact.orders.map((o) => o.orderId)).toContain(orderId);
    expect(exact.exactMatch).toEqual({ orderId, externalId: `${token}-100045` });
    expect((await search(orderId.toUpperCase())).exactMatch).toEqual({ orderId, externalId: `${token}-100045` });
  });

  it("an external id that two channels share is no exact match (the agent picks one)", async () => {
    const externalId = unique("DUP").toUpperCase();
    await importForTest(order(STORE_X, { externalId, channel: "web" }));
    await importForTest(order(STORE_X, { externalId, channel: "pos" }));
    const result = await search(externalId);
    expect(result.total).toBe(2);
    expect(result.exactMatch).toBeNull();
  });

  it("% and _ in the text are characters, not wildcards (the exact match too)", async () => {
    const t = unique("WILD").toUpperCase();
    const { orderId } = await importForTest(order(STORE_X, { externalId: `${t}_1` }));
    await importForTest(order(STORE_X, { externalId: `${t}-1` }));
    expect((await search(`${t}_1`)).exactMatch).toEqual({ orderId, externalId: `${t}_1` });
    expect((await search(`${t}_`)).orders.map((o) => o.orderId)).toEqual([orderId]);
    expect((await search("%")).total).toBe(0);
  });

  it("finds an order by the short id shown under it (its first 8 hex digits), but not by a word of 5", async () => {
    const { orderId } = await importForTest(order(STORE_X));
    const short = orderId.slice(0, 8);
    const result = await search(short);
    expect(result.orders.map((o) => o.orderId)).toContain(orderId);
    expect(result.orders.every((o) => o.orderId.startsWith(short))).toBe(true);
    expect(uuidPrefixRange(short.slice(0, 5))).toBeNull();
    expect(uuidPrefixRange("8c1f2a")).toEqual({ gte: "8c1f2a00-0000-0000-0000-000000000000", lte: "8c1f2aff-ffff-ffff-ffff-ffffffffffff" });
    expect(uuidPrefixRange("scarf!")).toBeNull();
  });

  it("finds orders by customer name or email, a line's SKU or product description, and a card's last 4", async () => {
    const t = randomUUID().slice(0, 8);
    const { orderId } = await importForTest(
      order(STORE_X, { name: `Ada Byron${t}`, email: `ada.${t}@example.com`, sku: `SKU-${t}-RED`, description: `Linen jacket ${t}` }),
    );
    for (const q of [`byron${t}`, `ADA.${t}@`, `sku-${t}`, `jacket ${t}`]) {
      const result = await search(q);
      expect(result.orders.map((o) => o.orderId), q).toEqual([orderId]);
    }
    // Last 4 digits are not unique; the newest order paid with them comes first.
    const last4 = String(1000 + Math.floor(Math.random() * 9000));
    const paid = await importForTest(order(STORE_X, { last4 }));
    const byCard = await search(last4);
    expect(byCard.orders.map((o) => o.orderId)).toContain(paid.orderId);
  });

  it("a store manager finds only their stores' orders, and no exact match elsewhere", async () => {
    const externalId = unique("ISO").toUpperCase();
    const { orderId } = await importForTest(order(STORE_Y, { externalId }));
    const manager = await actorFor("store_manager", [STORE_X]);
    const result = await search(externalId, {}, manager);
    expect(result).toMatchObject({ total: 0, orders: [], exactMatch: null });
    const theirs = await actorFor("store_manager", [STORE_Y]);
    expect((await search(externalId, {}, theirs)).exactMatch).toEqual({ orderId, externalId });
  });

  it("sorts by the column asked, either way, and pages without overlap with the count of all matches", async () => {
    const t = unique("SORT").toUpperCase();
    const prices = ["30.00", "10.00", "50.00", "20.00", "40.00"];
    for (const [i, unitPrice] of prices.entries()) await importForTest(order(STORE_X, { externalId: `${t}-${i}`, unitPrice }));

    const byTotal = await search(t, { sort: "total", direction: "asc" });
    expect(byTotal.orders.map((o) => o.total)).toEqual(["10.00", "20.00", "30.00", "40.00", "50.00"]);
    const byTotalDesc = await search(t, { sort: "total", direction: "desc" });
    expect(byTotalDesc.orders.map((o) => o.total)).toEqual(["50.00", "40.00", "30.00", "20.00", "10.00"]);
    const byExternal = await search(t, { sort: "external_id", direction: "desc" });
    expect(byExternal.orders.map((o) => o.externalId)).toEqual([4, 3, 2, 1, 0].map((i) => `${t}-${i}`));
    const newest = await search(t);
    expect(newest.orders.map((o) => o.externalId)).toEqual([4, 3, 2, 1, 0].map((i) => `${t}-${i}`));

    const page1 = await search(t, { sort: "total", direction: "asc", pageSize: 2, page: 1 });
    const page3 = await search(t, { sort: "total", direction: "asc", pageSize: 2, page: 3 });
    expect([page1.total, page3.total]).toEqual([5, 5]);
    expect(page1.orders.map((o) => o.total)).toEqual(["10.00", "20.00"]);
    expect(page3.orders.map((o) => o.total)).toEqual(["50.00"]);
  });

  it("the text matches can use the trigram and last-4 indexes (the planner picks them once a scan is ruled out)", async () => {
    const plans = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const explain = async (sql: string) => (await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`)).map((r) => r["QUERY PLAN"]).join("\n");
      return [
        await explain(`SELECT id FROM orders WHERE external_id ILIKE '%web-10%'`),
        await explain(`SELECT id FROM orders WHERE customer_name ILIKE '%lovelace%'`),
        await explain(`SELECT id FROM orders WHERE customer_email ILIKE '%ada@ex%'`),
        await explain(`SELECT order_id FROM order_lines WHERE sku ILIKE '%shirt%'`),
        await explain(`SELECT order_id FROM order_lines WHERE description ILIKE '%oxford%'`),
        await explain(`SELECT order_id FROM tenders WHERE last4 = '4242'`),
      ];
    });
    const used = ["orders_external_id_trgm_idx", "orders_customer_name_trgm_idx", "orders_customer_email_trgm_idx", "order_lines_sku_trgm_idx", "order_lines_description_trgm_idx", "tenders_last4_idx"];
    plans.forEach((plan, i) => expect(plan, used[i]).toContain(used[i]));
  });
});
