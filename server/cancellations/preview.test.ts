import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import type { ErrorBody } from "@/server/http/errors";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { exampleAOrder, exampleBOrder, exampleCOrder } from "@/server/dev/seed-orders";
import { parseAmount } from "@/server/domain/money";
import { applyCancellation, holdCancellation, settleHeldAmount } from "@/server/domain/order-transitions";
import { applyOrderChange, applyTenderChanges } from "@/server/orders/apply-order-change";
import type { TImportOrderInput } from "@/server/orders/import-order.schema";
import { unique } from "@/test/factories";
import { apiClient, callRoute, importUnique } from "@/test/rest";
import type { PreviewView } from "./preview-cancellation";

const db = getDb();

type Body = Record<string, unknown>;
const request = (orderLineIds: string[], quantities: number[], extra: Body = {}): Body => ({ orderLineIds, quantities, reason: "CUSTOMER_REQUEST", refundMethod: "original", ...extra });
const preview = (key: string, orderId: string, body: Body) => callRoute<PreviewView & ErrorBody>(POST, { key, params: { orderId }, body });

/** Every row a cancellation could touch; a preview must leave all of them as they were. */
async function snapshot(orderId: string) {
  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    include: {
      lines: { orderBy: { position: "asc" } },
      tenders: { orderBy: { position: "asc" } },
      reservations: { orderBy: { id: "asc" } },
      discounts: true,
      cancellations: true,
    },
  }).then(numbered);
  const ledger = await db.ledgerAccount.findMany({ where: { reference: { in: order.tenders.map((t) => t.providerReference) } }, include: { entries: true } }).then(numbered);
  return {
    order,
    ledger,
    audit: await db.auditLog.count({ where: { orderId } }),
    outbox: await db.outboxEvent.count({ where: { orderId } }),
  };
}

/**
 * A later step of a worked example starts from the rows an accepted cancellation of `shown` leaves:
 * "completed" moves its units to cancelled and its money to reversed/refunded; "held" (awaiting
 * approval) keeps them in pendingCancel and reversal_held/refund_held. Either way its
 * merchandise, tax and shipping are committed and the order's version moves on (twice when
 * completed: once accepted, once applied, as submit and the saga do).
 */
async function simulateAccepted(orderId: string, shown: PreviewView, mode: "completed" | "held") {
  const minor = (amount: string) => parseAmount(amount, shown.currency);
  const holding = {
    items: shown.lines.map((l) => ({ lineId: l.orderLineId, quantity: l.quantity, merchandise: minor(l.subtotal) - minor(l.discount), tax: minor(l.tax) })),
    allocations: shown.allocation.map((a) => ({ tenderId: a.tenderId, operation: a.operation, amount: minor(a.amount) })),
    shipping: minor(shown.totals.shipping),
    shippingTax: minor(shown.totals.shippingTax),
  };
  // The same transitions, through the same repository, as submit and the saga.
  await db.$transaction(async (tx) => {
    await applyOrderChange(tx, orderId, holdCancellation(holding));
    if (mode === "held") return;
    await applyOrderChange(tx, orderId, applyCancellation(holding.items), { status: "PARTIALLY_CANCELLED" });
    for (const a of holding.allocations) await applyTenderChanges(tx, orderId, settleHeldAmount(a).tenders);
  });
}

async function orderVersion(orderId: string) {
  return (await db.order.findUniqueOrThrow({ where: { id: orderId } }).then(numbered)).version;
}

let agent: string;
beforeAll(async () => {
  agent = (await apiClient()).key;
});

describe("POST /api/v1/orders/{orderId}/cancel-partial/preview — SPEC §3 worked examples", () => {
  it("example A: cancelling 2 of line A shows 194.85, reversed on the card, no approval", async () => {
    const { orderId } = await importUnique(agent, exampleAOrder());
    const response = await preview(agent, orderId, request(["A"], [2]));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      orderId,
      currency: "USD",
      previewVersion: await orderVersion(orderId),
      warehouseConfirmationRequired: false,
      refundUpTo: null,
      lines: [{ orderLineId: "A", quantity: 2, fromWarehouse: 0, subtotal: "200.00", discount: "20.00", tax: "14.85", total: "194.85" }],
      totals: { subtotal: "200.00", discount: "20.00", tax: "14.85", shipping: "0.00", shippingTax: "0.00", total: "194.85" },
      allocation: [{ tenderId: "T1", operation: "reversal", amount: "194.85" }],
      approvalRequired: false,
      approvalReasons: [],
      approval: { required: false, reasons: [], approverRole: null, currency: "USD", total: "194.85", limitRole: "customer_service_agent", limit: "500.00", excess: null, managerLimit: null, managerExcess: null, velocity: null },
      overrides: null,
      // Issue 15's "why this amount": the domain's numbers behind 194.85.
      explanation: {
        lines: [
          {
            orderLineId: "A", quantity: 2, fromWarehouse: 0, orderedQuantity: 3, unitPrice: "100.00", gross: "300.00", lineDiscount: "0.00",
            orderDiscount: { codes: [{ code: "SPRING35", amount: "35.00" }], total: "35.00", share: "30.00", lineValue: "300.00", ordersValue: "350.00", unrounded: "30.00", unroundedExact: true },
            net: "270.00", taxCharged: "22.28", earlier: { units: 0, net: "0.00", tax: "0.00" },
            merchandise: { remaining: "270.00", units: 2, of: 3, rule: "proportional_half_up", unrounded: "180.00", unroundedExact: true, result: "180.00" },
            tax: { remaining: "22.28", units: 2, of: 3, rule: "proportional_half_up", unrounded: "14.853", unroundedExact: false, result: "14.85" },
            noRefund: false,
            refund: { subtotal: "200.00", discount: "20.00", merchandise: "180.00", tax: "14.85", total: "194.85" },
          },
        ],
        shipping: { refunded: false, reason: "units_left", shipping: "0.00", shippingTax: "0.00", due: "10.00", taxDue: "0.00", unitsLeft: 2, shippedUnits: 0, heldElsewhere: 0, dependsOnWarehouse: false },
        tenders: [{ tenderId: "T1", method: "card", operation: "reversal", amount: "194.85", reason: "uncaptured_authorization", authorized: "300.99", captured: "0.00", reversible: "300.99", refundable: "0.00" }],
        refundMethod: "original",
        total: "194.85",
      },
    });
  });

  it("example A as a sequence: 194.85, then 97.43, then 58.71 with shipping, adding up to 350.99", async () => {
    const { orderId } = await importUnique(agent, exampleAOrder());
    const first = await preview(agent, orderId, request(["A"], [2]));
    expect(first.body.totals.total).toBe("194.85");
    await simulateAccepted(orderId, first.body, "completed");

    const second = await preview(agent, orderId, request(["A"], [1]));
    expect(second.status).toBe(200);
    // Accepting and then applying a cancellation each move the version on.
    expect(second.body.previewVersion).toBe(3);
    expect(second.body.lines).toEqual([{ orderLineId: "A", quantity: 1, fromWarehouse: 0, subtotal: "100.00", discount: "10.00", tax: "7.43", total: "97.43" }]);
    expect(second.body.totals).toMatchObject({ shipping: "0.00", total: "97.43" });
    expect(second.body.allocation).toEqual([{ tenderId: "T1", operation: "reversal", amount: "97.43" }]);
    await simulateAccepted(orderId, second.body, "completed");

    const third = await preview(agent, orderId, request(["B"], [1]));
    expect(third.status).toBe(200);
    expect(third.body.previewVersion).toBe(5);
    expect(third.body.lines).toEqual([{ orderLineId: "B", quantity: 1, fromWarehouse: 0, subtotal: "50.00", discount: "5.00", tax: "3.71", total: "48.71" }]);
    expect(third.body.totals).toEqual({ subtotal: "50.00", discount: "5.00", tax: "3.71", shipping: "10.00", shippingTax: "0.00", total: "58.71" });
    // What is left of the card's authorisation is released; the captured gift card is refunded.
    expect(third.body.allocation).toEqual([
      { tenderId: "T1", operation: "reversal", amount: "8.71" },
      { tenderId: "T2", operation: "refund", amount: "50.00" },
    ]);
    expect(second.body.explanation.lines[0]!.tax).toMatchObject({ remaining: "7.43", rule: "last_units_remainder", unrounded: null, result: "7.43" });
    expect(third.body.explanation.shipping).toMatchObject({ refunded: true, reason: "completes_order", shipping: "10.00" });
    expect(third.body.explanation.tenders.map((t: { reason: string; amount: string }) => [t.reason, t.amount])).toEqual([["uncaptured_authorization", "8.71"], ["captured_refund", "50.00"]]);
    const paid = (await db.order.findUniqueOrThrow({ where: { id: orderId } }).then(numbered)).total;
    expect([first, second, third].reduce((s, r) => s + parseAmount(r.body.totals.total, "USD"), 0)).toBe(paid);
  });

  it("example A all at once refunds exactly the 350.99 paid, shipping included", async () => {
    const { orderId } = await importUnique(agent, exampleAOrder());
    const response = await preview(agent, orderId, request(["A", "B"], [3, 1]));
    expect(response.body.totals).toEqual({ subtotal: "350.00", discount: "35.00", tax: "25.99", shipping: "10.00", shippingTax: "0.00", total: "350.99" });
    expect(response.body.allocation).toEqual([
      { tenderId: "T1", operation: "reversal", amount: "300.99" },
      { tenderId: "T2", operation: "refund", amount: "50.00" },
    ]);
  });

  it("example B (JPY): ¥1064, ¥1064, ¥1062 while earlier cancellations await approval", async () => {
    const { orderId } = await importUnique(agent, exampleBOrder());
    const expected = [
      { subtotal: "1000", discount: "33", tax: "97", total: "1064" },
      { subtotal: "1000", discount: "33", tax: "97", total: "1064" },
      { subtotal: "1000", discount: "34", tax: "96", total: "1062" },
    ];
    let refunded = 0;
    for (const [step, line] of expected.entries()) {
      const response = await preview(agent, orderId, request(["1"], [1]));
      expect(response.status).toBe(200);
      expect(response.body.previewVersion).toBe(step + 1);
      expect(response.body.lines).toEqual([{ orderLineId: "1", quantity: 1, fromWarehouse: 0, ...line }]);
      expect(response.body.allocation).toEqual([{ tenderId: "T1", operation: "reversal", amount: line.total }]);
      refunded += parseAmount(response.body.totals.total, "JPY");
      await simulateAccepted(orderId, response.body, "held");
    }
    expect(refunded).toBe(3190);
  });

  it("example C: the order discount splits 3.34 / 3.33 / 3.33, the tie going to the first line", async () => {
    const { orderId } = await importUnique(agent, exampleCOrder());
    const shares = [];
    for (const lineId of ["1", "2", "3"]) {
      const response = await preview(agent, orderId, request([lineId], [1]));
      expect(response.status).toBe(200);
      shares.push(response.body.lines[0]);
    }
    expect(shares).toEqual([
      { orderLineId: "1", quantity: 1, fromWarehouse: 0, subtotal: "10.00", discount: "3.34", tax: "0.00", total: "6.66" },
      { orderLineId: "2", quantity: 1, fromWarehouse: 0, subtotal: "10.00", discount: "3.33", tax: "0.00", total: "6.67" },
      { orderLineId: "3", quantity: 1, fromWarehouse: 0, subtotal: "10.00", discount: "3.33", tax: "0.00", total: "6.67" },
    ]);
    const all = await preview(agent, orderId, request(["3", "1", "2"], [1, 1, 1]));
    expect(all.body.lines.map((l) => [l.orderLineId, l.discount])).toEqual([["1", "3.34"], ["2", "3.33"], ["3", "3.33"]]);
    expect(all.body.totals).toMatchObject({ discount: "10.00", total: "20.00" });
  });
});

describe("preview approval gate (SPEC §5)", () => {
  // Line X: 2 × 400.00; line Y: 1 × 500.00 (exactly the USD agent limit).
  const bigOrder = (): TImportOrderInput => ({
    ...exampleAOrder({ externalId: "WEB-BIG" }),
    lines: [
      { lineId: "X", sku: "ELEC-LAPTOP", quantity: 2, unitPrice: "400.00", tax: "0.00" },
      { lineId: "Y", sku: "KIT-ESPRESSO", quantity: 1, unitPrice: "500.00", tax: "0.00" },
    ],
    discounts: [],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: "pi_big", authorized: "1300.00", captured: "0.00" }],
  });

  it("asks approval for an agent above USD 500.00 (reason limit), not at 500.00, not for the store's manager", async () => {
    const { orderId, order } = await importUnique(agent, bigOrder());
    const over = await preview(agent, orderId, request(["X"], [2]));
    expect(over.status).toBe(200);
    expect(over.body).toMatchObject({ approvalRequired: true, approvalReasons: ["limit"], totals: { total: "800.00" } });
    // SPEC §5: in advance, with the limit and the excess.
    expect(over.body.approval).toEqual({ required: true, reasons: ["limit"], approverRole: "store_manager", currency: "USD", total: "800.00", limitRole: "customer_service_agent", limit: "500.00", excess: "300.00", managerLimit: null, managerExcess: null, velocity: null });

    const atLimit = await preview(agent, orderId, request(["Y"], [1]));
    expect(atLimit.body).toMatchObject({ approvalRequired: false, approvalReasons: [], totals: { total: "500.00" } });

    const manager = await apiClient({ role: "store_manager", stores: [order.storeId], scopes: ["orders:read"] });
    expect((await preview(manager.key, orderId, request(["X"], [2]))).body).toMatchObject({ approvalRequired: false, approvalReasons: [] });
  });
});

describe("preview rejections change nothing", () => {
  let orderId: string;
  let storeId: string;

  beforeAll(async () => {
    const imported = await importUnique(agent, exampleAOrder());
    orderId = imported.orderId;
    storeId = imported.order.storeId;
  });

  it.each([
    { name: "arrays of different length", body: request(["A", "B"], [1]) },
    { name: "a line named twice", body: request(["A", "A"], [1, 1]) },
    { name: "a zero quantity", body: request(["A"], [0]) },
    { name: "a negative quantity", body: request(["A"], [-1]) },
    { name: "a fractional quantity", body: request(["A"], [1.5]) },
    { name: "no lines", body: request([], []) },
    { name: "an unknown line", body: request(["Z"], [1]) },
    { name: "an unknown reason", body: request(["A"], [1], { reason: "BORED" }) },
    { name: "an unknown refund method", body: request(["A"], [1], { refundMethod: "cash" }) },
    { name: "OTHER without a note", body: request(["A"], [1], { reason: "OTHER" }) },
    { name: "OTHER with a blank note", body: request(["A"], [1], { reason: "OTHER", note: "   " }) },
  ])("400 VALIDATION_FAILED for $name", async ({ body }) => {
    const before = await snapshot(orderId);
    const response = await preview(agent, orderId, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(await snapshot(orderId)).toEqual(before);
  });

  it("accepts OTHER with a note (the cases above fail for their own reason)", async () => {
    expect((await preview(agent, orderId, request(["A"], [1], { reason: "OTHER", note: "Customer changed size" }))).status).toBe(200);
    expect((await preview(agent, orderId, request(["A", "B"], [1, 1], { refundMethod: "store_credit" }))).status).toBe(200);
  });

  it("400 for malformed JSON", async () => {
    const before = await snapshot(orderId);
    const response = await callRoute<ErrorBody>(POST, { key: agent, params: { orderId }, rawBody: '{"orderLineIds": ["A"' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(await snapshot(orderId)).toEqual(before);
  });

  it("404 for an unknown order and for another store's manager, with the same answer", async () => {
    const before = await snapshot(orderId);
    const missingId = randomUUID();
    const missing = await preview(agent, missingId, request(["A"], [1]));
    const outsider = await apiClient({ role: "store_manager", stores: [unique("STORE")], scopes: ["orders:read"] });
    const hidden = await preview(outsider.key, orderId, request(["A"], [1]));
    expect([missing.status, hidden.status]).toEqual([404, 404]);
    expect(hidden.body.error.code).toBe("NOT_FOUND");
    expect(JSON.stringify(hidden.body).replaceAll(orderId, "ID")).toBe(JSON.stringify(missing.body).replaceAll(missingId, "ID"));
    expect((await preview(agent, "not-a-uuid", request(["A"], [1]))).status).toBe(404);

    const own = await apiClient({ role: "store_manager", stores: [storeId], scopes: ["orders:read"] });
    expect((await preview(own.key, orderId, request(["A"], [1]))).status).toBe(200);
    expect(await snapshot(orderId)).toEqual(before);
  });

  it("409 QUANTITY_EXCEEDS_CANCELLABLE above the cancellable units, shipped and held units excluded", async () => {
    const before = await snapshot(orderId);
    const response = await preview(agent, orderId, request(["A"], [4]));
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: "QUANTITY_EXCEEDS_CANCELLABLE", details: { lineId: "A", requested: 4, cancellable: 3 } });
    expect(await snapshot(orderId)).toEqual(before);

    const { orderId: partly } = await importUnique(agent, exampleAOrder());
    await db.orderLine.update({ where: { orderId_lineId: { orderId: partly, lineId: "A" } }, data: { shipped: 1, pendingCancel: 1 } });
    const held = await snapshot(partly);
    expect((await preview(agent, partly, request(["A"], [1]))).status).toBe(200);
    const tooMany = await preview(agent, partly, request(["A"], [2]));
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: "QUANTITY_EXCEEDS_CANCELLABLE", details: { requested: 2, cancellable: 1 } });
    expect(await snapshot(partly)).toEqual(held);
  });

  it.each(["CANCELLED", "COMPLETED"] as const)("422 ORDER_NOT_CANCELLABLE for a %s order", async (status) => {
    const { orderId: closed } = await importUnique(agent, exampleAOrder());
    await db.order.update({ where: { id: closed }, data: { status } });
    const before = await snapshot(closed);
    const response = await preview(agent, closed, request(["A"], [1]));
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: "ORDER_NOT_CANCELLABLE", details: { status } });
    expect(await snapshot(closed)).toEqual(before);
  });

  it("any number of previews, valid or not, leaves the order exactly as it was", async () => {
    const { orderId: target } = await importUnique(agent, exampleAOrder());
    const before = await snapshot(target);
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        // Mostly valid requests, some not: every path through the preview gets its turn.
        fc.oneof({ weight: 4, arbitrary: fc.subarray(["A", "B"], { minLength: 1 }) }, { weight: 1, arbitrary: fc.subarray(["A", "B", "Z"], { minLength: 1 }) }),
        fc.array(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 5 }) }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom("CUSTOMER_REQUEST", "PRICE_ERROR", "ITEM_UNAVAILABLE", "OTHER", "BORED"),
        fc.constantFrom("original", "original", "store_credit", "manual", "cash"),
        async (lines, quantities, reason, refundMethod) => {
          const response = await preview(agent, target, request(lines, quantities.slice(0, lines.length), { reason, refundMethod }));
          statuses.add(response.status);
          expect([200, 400, 409]).toContain(response.status);
          if (response.status === 200) {
            const allocated = response.body.allocation.reduce((s, a) => s + parseAmount(a.amount, "USD"), 0);
            expect(allocated).toBe(parseAmount(response.body.totals.total, "USD"));
            expect(response.body.previewVersion).toBe(before.order.version);
          }
        },
      ),
      { numRuns: 40, seed: 20261128 },
    );
    expect([...statuses].sort()).toEqual([200, 400, 409]);
    expect(await snapshot(target)).toEqual(before);
  });
});
