import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { appRouter } from "@/server/api/root";
import { createCallerFactory } from "@/server/api/trpc";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { apiClient, callRoute, statusWhen } from "@/test/rest";
import { actorFor, exampleA, importForTest, simpleOrder, withSagaWorker } from "@/test/saga-harness";

const db = getDb();
const saga = withSagaWorker();

type Money = { subtotal: string; discount: string; tax: string; shipping: string; shippingTax: string; total: string };
type Answer = {
  cancellationId: string;
  status: string;
  refundAmount: string;
  totals: Money;
  allocation: { tenderId: string; operation: string; amount: string }[];
  overrides: { refundShipping: boolean; noRefund: boolean; shippingAdded: string; notRefunded: string } | null;
  timeline: { step: string; status: string; detail: string | null }[];
  error?: { code: string; details?: { path: string; message: string }[] };
};

const body = (lines: string[], quantities: number[], extra: Record<string, unknown> = {}) => ({ orderLineIds: lines, quantities, reason: "CUSTOMER_REQUEST", refundMethod: "original", ...extra });
const preview = (key: string, orderId: string, b: unknown) => callRoute<Answer>(previewRoute, { key, params: { orderId }, body: b });
const submit = (key: string, orderId: string, b: unknown) =>
  callRoute<Answer>(submitRoute, { key, params: { orderId }, body: b, path: `/api/v1/orders/${orderId}/cancel-partial`, headers: { "idempotency-key": randomUUID() } });

const completed = (key: string, orderId: string, cancellationId: string) => statusWhen<Answer>(key, orderId, cancellationId, (s) => s.status === "completed");

const orderState = async (orderId: string) =>
  numbered(await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: { orderBy: { position: "asc" } }, tenders: { orderBy: { position: "asc" } } } }));

describe("override: refund shipping (SPEC §5)", () => {
  it("a store manager refunds the 10.00 shipping on the first cancellation of example A; it is marked refunded, so the order's last cancellation takes none", async () => {
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"] });
    const order = exampleA("STORE-001");
    const { orderId } = await importForTest(order);
    const overrides = { refundShipping: true };
    const note = "Courier lost the first parcel; shipping refunded as a gesture";

    const shown = await preview(manager.key, orderId, body(["A"], [2], { overrides, note }));
    expect(shown.status).toBe(200);
    expect(shown.body.totals).toEqual({ subtotal: "200.00", discount: "20.00", tax: "14.85", shipping: "10.00", shippingTax: "0.00", total: "204.85" });
    expect(shown.body.overrides).toEqual({ refundShipping: true, noRefund: false, shippingAdded: "10.00", notRefunded: "0.00" });
    const plain = await preview(manager.key, orderId, body(["A"], [2]));
    expect([plain.body.totals.total, plain.body.overrides]).toEqual(["194.85", null]);

    const first = await submit(manager.key, orderId, body(["A"], [2], { overrides, note }));
    expect([first.status, first.body.refundAmount]).toEqual([201, "204.85"]);
    const done = await completed(manager.key, orderId, first.body.cancellationId);
    expect(done.overrides).toEqual(shown.body.overrides);
    const entry = done.timeline.find((t) => t.step === "override")!;
    expect(entry.status).toBe("applied");
    expect(entry.detail).toContain("shipping of $10.00 refunded");
    expect(entry.detail).toContain(note);
    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: first.body.cancellationId, action: "cancellation.override" } });
    expect(audit.actorId).toBe(manager.user.id);
    expect(audit.details).toMatchObject({ refundShipping: true, shippingAdded: 1000, note });
    expect((await orderState(orderId)).shippingRefunded).toBe(1000);

    const rest = await submit(manager.key, orderId, body(["A", "B"], [1, 1]));
    expect(rest.body.totals).toMatchObject({ shipping: "0.00", total: "146.14" });
    await completed(manager.key, orderId, rest.body.cancellationId);
    const end = await orderState(orderId);
    expect(end.status).toBe("CANCELLED");
    expect(end.tenders.map((t) => t.reversed + t.refunded)).toEqual([30099, 5000]);
    expect(saga.harness.fake.state.find("stripe", order.tenders[0]!.providerReference)!.reversed).toBe(30099);
  });
});

describe("override: cancel with no refund (SPEC §5)", () => {
  it("refund 0, units cancelled, nothing sent to any provider; the later cancellations refund the rest of example A exactly", async () => {
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"] });
    const order = exampleA("STORE-001");
    const { orderId } = await importForTest(order);
    const req = body(["A"], [2], { overrides: { noRefund: true }, note: "Exchanged for the blue shirt, arranged by phone" });

    const shown = await preview(manager.key, orderId, req);
    expect(shown.body.totals).toEqual({ subtotal: "200.00", discount: "200.00", tax: "0.00", shipping: "0.00", shippingTax: "0.00", total: "0.00" });
    expect(shown.body.allocation).toEqual([]);
    expect(shown.body.overrides).toEqual({ refundShipping: false, noRefund: true, shippingAdded: "0.00", notRefunded: "194.85" });

    const first = await submit(manager.key, orderId, req);
    expect([first.status, first.body.refundAmount]).toEqual([201, "0.00"]);
    const done = await completed(manager.key, orderId, first.body.cancellationId);
    expect(done.timeline.find((t) => t.step === "override")!.detail).toContain("cancelled with no refund; $194.85 stays with the merchant");
    expect(saga.harness.fake.state.find("stripe", order.tenders[0]!.providerReference)!.operations).toEqual([]);
    const after = await orderState(orderId);
    expect(after.lines[0]).toMatchObject({ cancelled: 2, pendingCancel: 0, netRefunded: 18000, taxRefunded: 1485 });
    expect(after.tenders.map((t) => [t.reversed, t.refunded, t.reversalHeld, t.refundHeld])).toEqual([[0, 0, 0, 0], [0, 0, 0, 0]]);

    const last = await submit(manager.key, orderId, body(["A"], [1]));
    expect(last.body.refundAmount).toBe("97.43");
    await completed(manager.key, orderId, last.body.cancellationId);
    const b = await submit(manager.key, orderId, body(["B"], [1]));
    expect(b.body.refundAmount).toBe("58.71");
    await completed(manager.key, orderId, b.body.cancellationId);
    const end = await orderState(orderId);
    expect(end.status).toBe("CANCELLED");
    // Refunded 97.43 + 58.71 = 156.14; the 194.85 share of the exchanged units was settled without refund.
    expect(end.tenders.reduce((s, t) => s + t.reversed + t.refunded, 0)).toBe(15614);
    expect(end.lines.map((l) => [l.netRefunded, l.taxRefunded])).toEqual([[27000, 2228], [4500, 371]]);
  });
});

describe("who may override, and what a bad override gets", () => {
  it("an agent gets 403 OVERRIDE_FORBIDDEN on preview and submit (REST and tRPC), and nothing is stored", async () => {
    const agent = await apiClient({ role: "customer_service_agent" });
    const { orderId } = await importForTest(exampleA());
    for (const overrides of [{ refundShipping: true }, { noRefund: true }]) {
      const req = body(["A"], [1], { overrides, note: "please" });
      const p = await preview(agent.key, orderId, req);
      expect([p.status, p.body.error?.code]).toEqual([403, "OVERRIDE_FORBIDDEN"]);
      const s = await submit(agent.key, orderId, req);
      expect([s.status, s.body.error?.code]).toEqual([403, "OVERRIDE_FORBIDDEN"]);
    }
    // All false asks for no override: allowed.
    expect((await preview(agent.key, orderId, body(["A"], [1], { overrides: { refundShipping: false, noRefund: false } }))).status).toBe(200);
    const caller = createCallerFactory(appRouter)({ db, actor: await actorFor("customer_service_agent") });
    const viaTrpc = await caller.cancellation.preview({ orderId, request: body(["A"], [1], { overrides: { noRefund: true }, note: "x" }) as never }).catch((e: { code: string; cause?: { code?: string } }) => [e.code, e.cause?.code]);
    expect(viaTrpc).toEqual(["FORBIDDEN", "OVERRIDE_FORBIDDEN"]);
    expect(await db.cancellation.count({ where: { orderId } })).toBe(0);
  });

  it("a manager's override without a note, with both overrides, with an unknown key, or refunding shipping that is not there gets a clear 4xx", async () => {
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"] });
    const { orderId } = await importForTest(exampleA("STORE-001"));
    const noNote = await submit(manager.key, orderId, body(["A"], [1], { overrides: { noRefund: true } }));
    expect([noNote.status, noNote.body.error?.code, noNote.body.error?.details?.[0]?.path]).toEqual([400, "VALIDATION_FAILED", "note"]);
    const blankNote = await submit(manager.key, orderId, body(["A"], [1], { overrides: { refundShipping: true }, note: "   " }));
    expect([blankNote.status, blankNote.body.error?.details?.[0]?.path]).toEqual([400, "note"]);
    // The preview shows the effect before the note is written.
    expect((await preview(manager.key, orderId, body(["A"], [1], { overrides: { refundShipping: true } }))).status).toBe(200);
    const both = await preview(manager.key, orderId, body(["A"], [1], { overrides: { refundShipping: true, noRefund: true }, note: "n" }));
    expect([both.status, both.body.error?.details?.[0]?.path]).toEqual([400, "overrides"]);
    const unknown = await preview(manager.key, orderId, body(["A"], [1], { overrides: { refundTax: true }, note: "n" }));
    expect(unknown.status).toBe(400);
    const notBool = await preview(manager.key, orderId, body(["A"], [1], { overrides: { noRefund: "yes" }, note: "n" }));
    expect(notBool.status).toBe(400);

    const { orderId: noShipping } = await importForTest({ ...simpleOrder(3), storeId: "STORE-001" });
    const nothing = await submit(manager.key, noShipping, body(["1"], [1], { overrides: { refundShipping: true }, note: "n" }));
    expect([nothing.status, nothing.body.error?.code]).toEqual([422, "OVERRIDE_NOT_APPLICABLE"]);
    expect(await db.cancellation.count({ where: { orderId: { in: [orderId, noShipping] } } })).toBe(0);
  });
});
