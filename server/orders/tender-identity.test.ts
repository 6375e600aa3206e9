import { describe, expect, it, vi } from "vitest";
import { POST as importRoute } from "@/app/api/v1/orders/route";
import type { ErrorBody } from "@/server/http/errors";
import { getDb } from "@/server/db/client";
import { unique } from "@/test/factories";
import { apiClient, callRoute } from "@/test/rest";
import type { TImportOrderInput } from "./import-order.schema";

vi.mock("next-auth", async (original) => ({ ...(await original<typeof import("next-auth")>()), getServerSession: async () => null }));

const db = getDb();

function order(tenders: TImportOrderInput["tenders"], customerId = unique("CUST")): TImportOrderInput {
  return {
    channel: "web",
    externalId: unique("WEB-TID"),
    storeId: "STORE-TID",
    currency: "USD",
    customer: { id: customerId, name: "Ada Lovelace", email: "ada@example.com" },
    lines: [{ lineId: "1", sku: "SKU-1", quantity: 1, unitPrice: "20.00" }],
    tenders,
  };
}
const card = (provider: "stripe" | "adyen" | "paypal", reference: string) =>
  ({ tenderId: "T1", method: provider === "paypal" ? "paypal" : "card", provider, providerReference: reference, authorized: "20.00" }) as const;
const giftCard = (reference: string) => ({ tenderId: "G1", method: "gift_card", provider: "internal", providerReference: reference, authorized: "20.00", captured: "20.00" }) as const;

describe("tender identity (issue 12)", () => {
  it.each([
    { provider: "stripe" as const, reference: () => `pi_${unique("x")}` },
    { provider: "adyen" as const, reference: () => unique("PSP").toUpperCase() },
    { provider: "paypal" as const, reference: () => unique("AUTH").toUpperCase() },
  ])("a $provider reference pays one order: a second import naming it is 409 TENDER_REFERENCE_IN_USE and writes nothing", async ({ provider, reference }) => {
    const { key } = await apiClient();
    const ref = reference();
    const first = order([card(provider, ref)]);
    expect((await callRoute(importRoute, { key, body: first })).status).toBe(201);
    const second = order([card(provider, ref)]);
    const refused = await callRoute<ErrorBody>(importRoute, { key, body: second });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("TENDER_REFERENCE_IN_USE");
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: "tenders.0.providerReference" })]);
    expect(await db.order.count({ where: { externalId: second.externalId } })).toBe(0);
    expect(await db.tender.count({ where: { provider, providerReference: ref } })).toBe(1);
  });

  it("two racing imports naming the same PaymentIntent: one 201, one 409 TENDER_REFERENCE_IN_USE", async () => {
    const { key } = await apiClient();
    const ref = `pi_${unique("race")}`;
    const results = await Promise.all([0, 1].map(() => callRoute<ErrorBody>(importRoute, { key, body: order([card("stripe", ref)]) })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe("TENDER_REFERENCE_IN_USE");
    expect(await db.tender.count({ where: { providerReference: ref } })).toBe(1);
  });

  it("the database itself refuses a second tender with the same provider reference", async () => {
    const { key } = await apiClient();
    const ref = `pi_${unique("db")}`;
    const first = await callRoute<{ orderId: string }>(importRoute, { key, body: order([card("stripe", ref)]) });
    const other = await callRoute<{ orderId: string }>(importRoute, { key, body: order([card("stripe", `pi_${unique("other")}`)]) });
    await expect(db.tender.updateMany({ where: { orderId: other.body.orderId }, data: { providerReference: ref } })).rejects.toThrow(/tenders_provider_reference_key|Unique constraint/);
    expect(first.status).toBe(201);
  });

  it("a gift card pays several orders of its one customer, and is refused for another customer with 409", async () => {
    const { key } = await apiClient();
    const gc = unique("GC");
    const customer = unique("CUST");
    expect((await callRoute(importRoute, { key, body: order([giftCard(gc)], customer) })).status).toBe(201);
    expect((await callRoute(importRoute, { key, body: order([giftCard(gc)], customer) })).status).toBe(201);
    const stranger = order([giftCard(gc)]);
    const refused = await callRoute<ErrorBody>(importRoute, { key, body: stranger });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("TENDER_REFERENCE_IN_USE");
    expect(await db.order.count({ where: { externalId: stranger.externalId } })).toBe(0);
    expect(await db.ledgerAccount.count({ where: { reference: gc } })).toBe(1);
  });

  it("a gift card in another currency is refused with 400 VALIDATION_FAILED", async () => {
    const { key } = await apiClient();
    const gc = unique("GC");
    const customer = unique("CUST");
    expect((await callRoute(importRoute, { key, body: order([giftCard(gc)], customer) })).status).toBe(201);
    const eur = { ...order([giftCard(gc)], customer), currency: "EUR" };
    const refused = await callRoute<ErrorBody>(importRoute, { key, body: eur });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("VALIDATION_FAILED");
  });
});
