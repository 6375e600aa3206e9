import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { previewCancellation } from "@/server/cancellations/preview-cancellation";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { isAppError } from "@/server/domain/errors";
import { unique } from "@/test/factories";
import { actorFor, exampleA, importForTest } from "@/test/saga-harness";
import { getCustomerContext, toCustomerContextView } from "./get-customer-context";
import type { TImportOrderInput } from "./import-order.schema";

const db = getDb();
const body = (lines: string[], quantities: number[]) => ({ orderLineIds: lines, quantities, reason: "CUSTOMER_REQUEST", refundMethod: "original" });

/*
 * One customer with four orders: the viewed one and one more in store X, two in store Y, and
 * a cancellation on each of the three others (so velocity's first clause trips: 3 other orders
 * in 24 h). A second customer's order and cancellation must never appear.
 */
describe("getCustomerContext (the customer panel beside an order)", () => {
  const storeX = unique("STORE-CX");
  const storeY = unique("STORE-CY");
  const customer = { id: unique("CUST-PANEL"), name: "Ada Lovelace", email: "ada.panel@example.com", phone: "+1 (555) 010-4477" };
  const ids = {} as Record<"viewed" | "sameStore" | "otherStore1" | "otherStore2" | "stranger", { orderId: string; externalId: string }>;
  const cancellationIds: string[] = [];

  beforeAll(async () => {
    const admin = await actorFor("system_admin");
    const make = async (storeId: string, who: TImportOrderInput["customer"] = customer) => {
      const order = { ...exampleA(storeId), customer: who };
      const { orderId } = await importForTest(order);
      return { orderId, externalId: order.externalId };
    };
    ids.viewed = await make(storeX);
    ids.sameStore = await make(storeX);
    ids.otherStore1 = await make(storeY);
    ids.otherStore2 = await make(storeY);
    ids.stranger = await make(storeX, { id: unique("CUST-OTHER"), name: "Grace Hopper", email: "grace@example.com" });
    // A system admin needs no approval: each is stored as processing (no saga runs here), which velocity counts.
    for (const o of [ids.sameStore, ids.otherStore1, ids.otherStore2, ids.stranger]) {
      const answer = await submitCancellation({ db, actor: admin }, o.orderId, body(["B"], [1]), { idempotencyKey: randomUUID(), waitMs: 0 });
      cancellationIds.push(answer.body.cancellationId);
    }
  });

  it("shows the counters the approval policy uses: the agent's preview on this order asks for approval for velocity with the same numbers", async () => {
    const agent = await actorFor("customer_service_agent");
    const panel = await getCustomerContext({ db, actor: agent }, ids.viewed.orderId);
    // Three other orders had a cancellation (pending or done) in 24 h; B of example A refunds 48.71 with no shipping.
    expect(panel.velocity).toEqual({
      scope: "every_store",
      currency: "USD",
      otherOrdersWithCancellations24h: 3,
      otherOrdersThreshold: 3,
      refunded7d: "146.13",
      refundedThreshold: "1000.00",
      tooManyOtherOrders: true,
      refundedTooMuch: false,
    });
    const preview = await previewCancellation({ db, actor: agent }, ids.viewed.orderId, body(["B"], [1]));
    expect(preview.approvalReasons).toEqual(["velocity"]);
    expect(preview.approval.velocity).toEqual({
      otherOrdersWithCancellations24h: panel.velocity.otherOrdersWithCancellations24h,
      otherOrdersThreshold: panel.velocity.otherOrdersThreshold,
      refunded7d: panel.velocity.refunded7d,
      refundedThreshold: panel.velocity.refundedThreshold,
      tooManyOtherOrders: panel.velocity.tooManyOtherOrders,
      refundedTooMuch: panel.velocity.refundedTooMuch,
    });
  });

  it("lists the customer's other orders and cancellations, newest first, never another customer's, with the completed refunds summed", async () => {
    const agent = await actorFor("customer_service_agent");
    const panel = await getCustomerContext({ db, actor: agent }, ids.viewed.orderId);
    expect(panel.customer).toEqual({ id: customer.id, name: "Ada Lovelace", email: "ada.panel@example.com", phone: "+1 (555) 010-4477", masked: false });
    expect(panel.history!.otherOrders.total).toBe(3);
    expect(panel.history!.otherOrders.orders.map((o) => o.externalId)).toEqual([ids.otherStore2.externalId, ids.otherStore1.externalId, ids.sameStore.externalId]);
    expect(panel.history!.otherOrders.orders[0]).toMatchObject({ storeId: storeY, status: "OPEN", currency: "USD", total: "350.99" });
    expect(panel.history!.cancellations.total).toBe(3);
    expect(panel.history!.cancellations.cancellations.map((c) => c.cancellationId)).toEqual(cancellationIds.slice(0, 3).reverse());
    expect(panel.history!.cancellations.cancellations[0]).toMatchObject({ externalId: ids.otherStore2.externalId, onThisOrder: false, status: "processing", refundAmount: "48.71", units: 1 });
    // None completed yet: nothing refunded.
    expect(panel.history!.refunded).toEqual([]);

    await db.cancellation.update({ where: { id: cancellationIds[0] }, data: { status: "completed" } });
    const after = await getCustomerContext({ db, actor: agent }, ids.viewed.orderId);
    expect(after.history!.refunded).toEqual([{ currency: "USD", amount: "48.71" }]);
    await db.cancellation.update({ where: { id: cancellationIds[0] }, data: { status: "processing" } });
  });

  it("a store manager sees only their stores' orders and cancellations, and a 404 for an order elsewhere", async () => {
    const manager = await actorFor("store_manager", [storeX]);
    const panel = await getCustomerContext({ db, actor: manager }, ids.viewed.orderId);
    expect(panel.history!.otherOrders.total).toBe(1);
    expect(panel.history!.otherOrders.orders.map((o) => o.orderId)).toEqual([ids.sameStore.orderId]);
    expect(panel.history!.cancellations.cancellations.map((c) => c.orderId)).toEqual([ids.sameStore.orderId]);
    expect(JSON.stringify(panel)).not.toContain(ids.otherStore1.externalId);
    expect(JSON.stringify(panel)).not.toContain(storeY);

    const elsewhere = await actorFor("store_manager", [storeY]);
    const refused = await getCustomerContext({ db, actor: elsewhere }, ids.viewed.orderId).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe("NOT_FOUND");
    const nonsense = await getCustomerContext({ db, actor: elsewhere }, "not-a-uuid").catch((e: unknown) => e);
    expect(isAppError(nonsense) && nonsense.code).toBe("NOT_FOUND");
  });

  it("SPEC §1: a store manager's velocity counters cover only their stores (no hint of store Y's cancellations), said as such; an agent and an admin see every store's; the policy still counts every store", async () => {
    const manager = await actorFor("store_manager", [storeX]);
    const panel = await getCustomerContext({ db, actor: manager }, ids.viewed.orderId);
    // Store X holds one other order with a cancellation (48.71 returned); store Y's two are not counted.
    expect(panel.velocity).toEqual({
      scope: "your_stores",
      currency: "USD",
      otherOrdersWithCancellations24h: 1,
      otherOrdersThreshold: 3,
      refunded7d: "48.71",
      refundedThreshold: "1000.00",
      tooManyOtherOrders: false,
      refundedTooMuch: false,
    });
    for (const role of ["customer_service_agent", "system_admin"] as const) {
      const all = await getCustomerContext({ db, actor: await actorFor(role) }, ids.viewed.orderId);
      expect([all.velocity.scope, all.velocity.otherOrdersWithCancellations24h, all.velocity.refunded7d]).toEqual(["every_store", 3, "146.13"]);
    }
    // A manager of both stores counts both.
    const both = await getCustomerContext({ db, actor: await actorFor("store_manager", [storeX, storeY]) }, ids.viewed.orderId);
    expect([both.velocity.scope, both.velocity.otherOrdersWithCancellations24h]).toEqual(["your_stores", 3]);
    // The approval policy is unchanged: an agent's request on this order still needs approval for velocity, counted over every store.
    const preview = await previewCancellation({ db, actor: await actorFor("customer_service_agent") }, ids.viewed.orderId, body(["B"], [1]));
    expect(preview.approvalReasons).toEqual(["velocity"]);
    expect(preview.approval.velocity?.otherOrdersWithCancellations24h).toBe(3);
  });

  it("masks name, email and phone without read_order_pii and leaves out the history without read_customer_data", () => {
    const raw = {
      orderId: "o1",
      currency: "USD",
      customer: { id: "C1", name: "Ada Lovelace", email: "ada@example.com", phone: "+1 (555) 010-4477" },
      otherOrders: { total: 1, rows: [{ id: "o2", externalId: "WEB-2", storeId: "S", status: "OPEN", currency: "USD", total: 1000, createdAt: new Date(0) }] },
      cancellations: { total: 0, rows: [] },
      refunded: [],
      velocity: { scope: "every_store" as const, otherOrdersWithCancellations24h: 0, refunded7d: 0, otherOrdersThreshold: 3, refundedThreshold: 100000, tooManyOtherOrders: false, refundedTooMuch: false },
    };
    const masked = toCustomerContextView(raw, { pii: false, customerData: false });
    expect(masked.customer).toEqual({ id: "C1", name: "A** L*******", email: "a***@example.com", phone: "+* (***) ***-**77", masked: true });
    expect(masked.history).toBeNull();
    expect(masked.velocity.refundedThreshold).toBe("1000.00");
    const open = toCustomerContextView(raw, { pii: true, customerData: true });
    expect(open.customer.name).toBe("Ada Lovelace");
    expect(open.customer.phone).toBe("+1 (555) 010-4477");
    expect(open.history!.otherOrders.orders[0]!.total).toBe("10.00");
  });
});
