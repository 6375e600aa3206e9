import { describe, expect, it, vi } from "vitest";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { GET as orderRoute } from "@/app/api/v1/orders/[orderId]/route";
import { POST as importRoute } from "@/app/api/v1/orders/route";
import type { ErrorBody } from "@/server/http/errors";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { MAX_MINOR_UNITS } from "@/server/domain/money";
import { unique } from "@/test/factories";
import { apiClient, callRoute } from "@/test/rest";
import type { TImportOrderInput } from "./import-order.schema";

vi.mock("next-auth", async (original) => ({ ...(await original<typeof import("next-auth")>()), getServerSession: async () => null }));

const db = getDb();

/** One line paid by one gift card (no provider involved), amounts in USD. */
function order(quantity: number, unitPrice: string, total: string): TImportOrderInput {
  return {
    channel: "web",
    externalId: unique("WEB-BIG"),
    storeId: unique("STORE"),
    currency: "USD",
    customer: { id: unique("CUST"), name: "Ada Lovelace", email: "ada@example.com" },
    lines: [{ lineId: "1", sku: "SKU-BIG", quantity, unitPrice }],
    tenders: [{ tenderId: "T1", method: "gift_card", provider: "internal", providerReference: unique("GC"), authorized: total, captured: total }],
  };
}

type OrderView = { total: string; lines: { quantity: number; unitPrice: string; cancellable: number }[]; tenders: { authorized: string }[] };
type Preview = { totals: { total: string }; lines: { quantity: number; total: string }[] };

describe("amounts and quantities beyond int4 (BIGINT columns)", () => {
  it("imports 21,474,836.48 (2^31 cents), previews and holds a cancellation of it, and reads it back", async () => {
    const { key } = await apiClient();
    const imported = await callRoute<{ orderId: string }>(importRoute, { key, body: order(1, "21474836.48", "21474836.48") });
    expect(imported.status).toBe(201);
    const { orderId } = imported.body;
    const view = await callRoute<OrderView>(orderRoute, { key, params: { orderId } });
    expect(view.body).toMatchObject({ total: "21474836.48", lines: [{ quantity: 1, unitPrice: "21474836.48" }], tenders: [{ authorized: "21474836.48" }] });

    const cancel = { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
    const preview = await callRoute<Preview>(previewRoute, { key, params: { orderId }, body: cancel });
    expect(preview.status).toBe(200);
    expect(preview.body.totals.total).toBe("21474836.48");
    const submitted = await callRoute<{ status: string }>(submitRoute, { key, params: { orderId }, body: cancel, headers: { "idempotency-key": unique("big") }, path: `/api/v1/orders/${orderId}/cancel-partial?wait=0` });
    expect([201, 202]).toContain(submitted.status);
    const stored = numbered(await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: true, tenders: true } }));
    expect(stored).toMatchObject({ total: 2_147_483_648, lines: [{ pendingCancel: 1, netRefunded: 2_147_483_648 }], tenders: [{ refundHeld: 2_147_483_648 }] });
  });

  it("imports a quantity of 2,147,483,648 (2^31 units) and cancels 2^31 − 1 of them", async () => {
    const { key } = await apiClient();
    const imported = await callRoute<{ orderId: string }>(importRoute, { key, body: order(2_147_483_648, "0.01", "21474836.48") });
    expect(imported.status).toBe(201);
    const { orderId } = imported.body;
    const view = await callRoute<OrderView>(orderRoute, { key, params: { orderId } });
    expect(view.body.lines[0]).toMatchObject({ quantity: 2_147_483_648, cancellable: 2_147_483_648 });
    const reservation = numbered(await db.inventoryReservation.findFirstOrThrow({ where: { orderId } }));
    expect(reservation.quantity).toBe(2_147_483_648);

    const cancel = { orderLineIds: ["1"], quantities: [2_147_483_647], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
    const preview = await callRoute<Preview>(previewRoute, { key, params: { orderId }, body: cancel });
    expect(preview.status).toBe(200);
    expect(preview.body.totals.total).toBe("21474836.47");
  });

  it("imports the documented maximum: an order total of 2^53 − 1 minor units", async () => {
    const { key } = await apiClient();
    const max = "90071992547409.91";
    expect(max.replace(".", "")).toBe(String(MAX_MINOR_UNITS));
    const imported = await callRoute<{ orderId: string }>(importRoute, { key, body: order(1, max, max) });
    expect(imported.status).toBe(201);
    const view = await callRoute<OrderView>(orderRoute, { key, params: { orderId: imported.body.orderId } });
    expect(view.body.total).toBe(max);
  });

  it.each([
    { name: "an amount above the maximum", body: () => order(1, "90071992547409.92", "90071992547409.92"), path: "lines.0.unitPrice" },
    { name: "unitPrice × quantity above the maximum", body: () => order(2, "45035996273704.96", "90071992547409.92"), path: "lines.0" },
    { name: "a quantity above the maximum", body: () => order(MAX_MINOR_UNITS + 1, "0.00", "0.00"), path: "lines.0.quantity" },
    {
      name: "an order total above the maximum",
      body: () => {
        const o = order(1, "90071992547409.91", "90071992547409.91");
        o.lines.push({ lineId: "2", sku: "SKU-2", quantity: 1, unitPrice: "0.01" });
        return o;
      },
      path: "total",
    },
  ])("refuses $name with 400 VALIDATION_FAILED and writes nothing", async ({ body, path }) => {
    const { key } = await apiClient();
    const o = body();
    const response = await callRoute<ErrorBody>(importRoute, { key, body: o });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(response.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(await db.order.count({ where: { externalId: o.externalId } })).toBe(0);
  });
});
