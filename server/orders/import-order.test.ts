import { describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/v1/orders/route";
import type { ErrorBody } from "@/server/http/errors";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { unique } from "@/test/factories";
import { apiClient, callRoute } from "@/test/rest";
import type { TImportOrderInput } from "./import-order.schema";

// Without a bearer key the handler asks next-auth for a session, which needs Next's request
// scope; outside Next that lookup stands for "no session cookie".
vi.mock("next-auth", async (original) => ({ ...(await original<typeof import("next-auth")>()), getServerSession: async () => null }));

const db = getDb();

/**
 * A valid order touching every import rule: a partly shipped and released line, a fully shipped
 * line, defaults (location, discount), an order discount, shipping with tax, and a card, a gift
 * card and store credit. Total 360.00 − 35.00 + 26.99 + 10.00 + 0.80 = 362.79.
 */
function validOrder(): TImportOrderInput {
  return {
    channel: "web",
    externalId: unique("WEB"),
    storeId: unique("STORE"),
    currency: "USD",
    customer: { id: unique("CUST"), name: "Ada Lovelace", email: "Ada.Lovelace@Example.com" },
    lines: [
      { lineId: "A", sku: "SKU-A", description: "Shirt", quantity: 3, unitPrice: "100.00", discount: "0.00", tax: "22.28", shipped: 1, released: 1, locationId: "DC-EAST" },
      { lineId: "B", sku: "SKU-B", description: "Socks", quantity: 2, unitPrice: "25.00", discount: "5.00", tax: "3.71", shipped: 2, locationId: "DC-WEST" },
      { lineId: "C", sku: "SKU-C", quantity: 1, unitPrice: "15.00", tax: "1.00" },
    ],
    discounts: [{ code: "SPRING35", amount: "35.00" }],
    shipping: { amount: "10.00", tax: "0.80" },
    tenders: [
      { tenderId: "T1", method: "card", provider: "stripe", providerReference: unique("pi_import_test"), authorized: "292.79", captured: "100.00", brand: "visa", last4: "4242" },
      { tenderId: "T2", method: "gift_card", provider: "internal", providerReference: unique("GC"), authorized: "50.00", captured: "50.00" },
      { tenderId: "T3", method: "store_credit", provider: "internal", providerReference: unique("SC"), authorized: "20.00", captured: "20.00" },
    ],
  };
}

/** Every row an import of `order` by `actorId` could write; all zero when nothing was written. */
async function footprint(order: TImportOrderInput, actorId: string) {
  const ofOrder = { order: { storeId: order.storeId } };
  return {
    stores: await db.store.count({ where: { id: order.storeId } }),
    orders: await db.order.count({ where: { OR: [{ storeId: order.storeId }, { externalId: order.externalId }] } }),
    lines: await db.orderLine.count({ where: ofOrder }),
    discounts: await db.orderDiscount.count({ where: ofOrder }),
    tenders: await db.tender.count({ where: ofOrder }),
    reservations: await db.inventoryReservation.count({ where: ofOrder }),
    ledgerAccounts: await db.ledgerAccount.count({ where: { reference: { in: order.tenders.map((t) => t.providerReference) } } }),
    audit: await db.auditLog.count({ where: { actorId } }),
  };
}

const NOTHING = { stores: 0, orders: 0, lines: 0, discounts: 0, tenders: 0, reservations: 0, ledgerAccounts: 0, audit: 0 };

describe("POST /api/v1/orders", () => {
  it("imports the order: 201, quantities, discount shares, reservations, ledger accounts and audit", async () => {
    const { user, key } = await apiClient();
    const order = validOrder();
    const response = await callRoute<{ orderId: string }>(POST, { key, body: order });
    expect(response.status).toBe(201);
    const { orderId } = response.body;

    const stored = await db.order.findUniqueOrThrow({
      where: { id: orderId },
      include: { lines: { orderBy: { position: "asc" } }, discounts: true, tenders: { orderBy: { position: "asc" } }, reservations: { include: { orderLine: true } } },
    }).then(numbered);
    expect(stored).toMatchObject({
      channel: "web",
      externalId: order.externalId,
      storeId: order.storeId,
      customerId: order.customer.id,
      customerEmail: "ada.lovelace@example.com",
      currency: "USD",
      status: "PARTIALLY_SHIPPED",
      version: 1,
      shippingAmount: 1000,
      shippingTax: 80,
      total: 36279,
    });
    // 35.00 over 300.00 : 45.00 : 15.00 → 29.1666…, 4.375, 1.4583…; the two spare cents go to
    // the largest remainders (C, then A).
    expect(stored.lines.map((l) => [l.lineId, l.quantity, l.unitPrice, l.discount, l.tax, l.orderDiscountShare, l.shipped, l.released, l.cancelled, l.pendingCancel, l.locationId])).toEqual([
      ["A", 3, 10000, 0, 2228, 2917, 1, 1, 0, 0, "DC-EAST"],
      ["B", 2, 2500, 500, 371, 437, 2, 0, 0, 0, "DC-WEST"],
      ["C", 1, 1500, 0, 100, 146, 0, 0, 0, 0, "DC-MAIN"],
    ]);
    expect(stored.discounts.map((d) => [d.code, d.amount])).toEqual([["SPRING35", 3500]]);
    expect(stored.tenders.map((t) => [t.tenderId, t.method, t.provider, t.authorized, t.captured, t.reversed, t.refunded])).toEqual([
      ["T1", "card", "stripe", 29279, 10000, 0, 0],
      ["T2", "gift_card", "internal", 5000, 5000, 0, 0],
      ["T3", "store_credit", "internal", 2000, 2000, 0, 0],
    ]);
    // Unshipped units (released ones included) stay reserved at the line's location; B shipped in full.
    expect(stored.reservations.map((r) => [r.orderLine.lineId, r.locationId, r.sku, r.quantity, r.released]).sort()).toEqual([
      ["A", "DC-EAST", "SKU-A", 2, 0],
      ["C", "DC-MAIN", "SKU-C", 1, 0],
    ]);
    const ledger = await db.ledgerAccount.findMany({ where: { reference: { in: [order.tenders[1]!.providerReference, order.tenders[2]!.providerReference] } }, orderBy: { kind: "asc" } }).then(numbered);
    expect(ledger.map((a) => [a.kind, a.reference, a.customerId, a.currency, a.balance])).toEqual([
      ["gift_card", order.tenders[1]!.providerReference, order.customer.id, "USD", 0],
      ["store_credit", order.tenders[2]!.providerReference, order.customer.id, "USD", 0],
    ]);
    const audit = await db.auditLog.findMany({ where: { orderId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "order.imported", actorType: "api_key", actorId: user.id, entityId: orderId, channel: "api", ip: "127.0.0.1", userAgent: "vitest" });
    expect(await footprint(order, user.id)).toEqual({ stores: 1, orders: 1, lines: 3, discounts: 1, tenders: 3, reservations: 2, ledgerAccounts: 2, audit: 1 });
  });

  type Case = { name: string; mutate?: (o: TImportOrderInput) => void; order?: () => TImportOrderInput; rawBody?: string; path?: string };
  const jpyOrder = (): TImportOrderInput => ({
    ...validOrder(),
    currency: "JPY",
    lines: [{ lineId: "1", sku: "SKU-J", quantity: 2, unitPrice: "1000", tax: "200" }],
    discounts: [],
    shipping: { amount: "0", tax: "0" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: unique("pi_jpy"), authorized: "2200" }],
  });
  const cases: Case[] = [
    { name: "duplicate line ids", mutate: (o) => void (o.lines[1]!.lineId = "A"), path: "lines.1.lineId" },
    { name: "a zero quantity", mutate: (o) => void (o.lines[0]!.quantity = 0), path: "lines.0.quantity" },
    { name: "a negative quantity", mutate: (o) => void (o.lines[0]!.quantity = -3), path: "lines.0.quantity" },
    { name: "a fractional quantity", mutate: (o) => void (o.lines[0]!.quantity = 1.5), path: "lines.0.quantity" },
    { name: "shipped + released above the quantity", mutate: (o) => Object.assign(o.lines[0]!, { shipped: 2, released: 2 }), path: "lines.0" },
    { name: "decimals in JPY (\"1.5\")", order: () => ({ ...jpyOrder(), lines: [{ ...jpyOrder().lines[0]!, unitPrice: "1.5" }] }), path: "lines.0.unitPrice" },
    { name: "three decimals in USD (\"1.001\")", mutate: (o) => void (o.lines[2]!.tax = "1.001"), path: "lines.2.tax" },
    { name: "a negative amount", mutate: (o) => void (o.lines[1]!.discount = "-5.00"), path: "lines.1.discount" },
    { name: "a negative shipping charge", mutate: (o) => void (o.shipping = { amount: "-10.00", tax: "0.80" }), path: "shipping.amount" },
    { name: "tenders not adding up to the total", mutate: (o) => void (o.tenders[0]!.authorized = "292.78"), path: "tenders" },
    { name: "captured above authorized", mutate: (o) => void (o.tenders[1]!.captured = "50.01"), path: "tenders.1.captured" },
    { name: "a card paid through the internal provider", mutate: (o) => void (o.tenders[0]!.provider = "internal"), path: "tenders.0.provider" },
    { name: "a customer locale that is no BCP 47 tag", mutate: (o) => void (o.customer.locale = "german please"), path: "customer.locale" },
    { name: "malformed JSON", rawBody: '{"channel": "web", "lines": [' },
    { name: "an empty body", rawBody: "" },
  ];

  it.each(cases)("refuses $name with 400 VALIDATION_FAILED and writes nothing", async ({ mutate, order: make, rawBody, path }) => {
    const { user, key } = await apiClient();
    const order = make?.() ?? validOrder();
    mutate?.(order);
    const response = await callRoute<ErrorBody>(POST, rawBody === undefined ? { key, body: order } : { key, rawBody });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(response.body.error.message).toEqual(expect.any(String));
    if (path) expect(response.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(await footprint(order, user.id)).toEqual(NOTHING);
  });

  it("the valid order of the rejection cases is itself accepted", async () => {
    // Guards the cases above: each fails for its own mutation, not for a broken base order.
    const { key } = await apiClient();
    expect((await callRoute(POST, { key, body: validOrder() })).status).toBe(201);
    expect((await callRoute(POST, { key, body: jpyOrder() })).status).toBe(201);
  });

  it("keeps the customer's locale in its canonical form for their emails; none given stays null", async () => {
    const { key } = await apiClient();
    const withLocale = validOrder();
    withLocale.customer.locale = "de-de";
    const a = await callRoute<{ orderId: string }>(POST, { key, body: withLocale });
    const b = await callRoute<{ orderId: string }>(POST, { key, body: validOrder() });
    expect((await db.order.findUniqueOrThrow({ where: { id: a.body.orderId } })).customerLocale).toBe("de-DE");
    expect((await db.order.findUniqueOrThrow({ where: { id: b.body.orderId } })).customerLocale).toBeNull();
  });

  it("refuses the same channel + externalId again with 409 and writes nothing more", async () => {
    const { user, key } = await apiClient();
    const order = validOrder();
    const first = await callRoute<{ orderId: string }>(POST, { key, body: order });
    expect(first.status).toBe(201);
    const before = await footprint(order, user.id);

    const again = await callRoute<ErrorBody>(POST, { key, body: { ...order, lines: [order.lines[2]!], tenders: [{ ...order.tenders[0]!, authorized: "26.80", captured: "0.00" }], discounts: [] } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "ORDER_ALREADY_EXISTS", details: { orderId: first.body.orderId } });
    expect(await footprint(order, user.id)).toEqual(before);

    // The same external id from another channel is another order.
    const otherChannel = await callRoute(POST, { key, body: { ...validOrder(), channel: "mobile", externalId: order.externalId } });
    expect(otherChannel.status).toBe(201);
  });

  it("lets exactly one of two racing imports of the same order win", async () => {
    const { key } = await apiClient();
    const order = validOrder();
    const results = await Promise.all([callRoute<ErrorBody>(POST, { key, body: order }), callRoute<ErrorBody>(POST, { key, body: order })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe("ORDER_ALREADY_EXISTS");
    expect(await db.order.count({ where: { externalId: order.externalId } })).toBe(1);
  });

  it("imports several first orders of a new store at once: each 201, one store row", async () => {
    const { key } = await apiClient();
    const storeId = unique("STORE");
    const orders = Array.from({ length: 6 }, () => {
      const order = { ...validOrder(), storeId };
      order.tenders = order.tenders.map((t) => (t.provider === "stripe" ? { ...t, providerReference: unique("pi_race") } : t));
      return order;
    });
    const results = await Promise.all(orders.map((body) => callRoute<ErrorBody>(POST, { key, body })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(await db.store.count({ where: { id: storeId } })).toBe(1);
    expect(await db.order.count({ where: { storeId } })).toBe(6);
  });

  it("refuses a key without orders:write with 403 and writes nothing", async () => {
    const { user, key } = await apiClient({ scopes: ["orders:read"] });
    const order = validOrder();
    const response = await callRoute<ErrorBody>(POST, { key, body: order });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("FORBIDDEN");
    expect(await footprint(order, user.id)).toEqual(NOTHING);
  });

  it.each([
    { name: "no key and no session", key: undefined, headers: undefined },
    { name: "an unknown key", key: "pck_not-a-real-key", headers: undefined },
    { name: "a revoked key", key: "revoked", headers: undefined },
    { name: "a non-bearer Authorization header", key: undefined, headers: { authorization: "Basic ZGV2LWFnZW50LWtleTo=" } },
  ])("refuses $name with 401 and writes nothing", async ({ key, headers }) => {
    const order = validOrder();
    let bearer = key;
    let actorId = "00000000-0000-0000-0000-000000000000";
    if (key === "revoked") {
      const client = await apiClient();
      await db.apiKey.updateMany({ where: { userId: client.user.id }, data: { revokedAt: new Date() } });
      bearer = client.key;
      actorId = client.user.id;
    }
    const response = await callRoute<ErrorBody>(POST, { key: bearer, headers, body: order });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("UNAUTHENTICATED");
    expect(await footprint(order, actorId)).toEqual(NOTHING);
  });
});
