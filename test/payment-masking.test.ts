import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { GET as statusRoute } from "@/app/api/v1/orders/[orderId]/cancellations/[cancellationId]/route";
import { GET as orderRoute } from "@/app/api/v1/orders/[orderId]/route";
import { searchAuditLog } from "@/server/admin/audit/search-audit-log";
import { getApprovalRequest } from "@/server/approvals/get-approval-request";
import { recordAudit } from "@/server/audit/record-audit";
import type { Role } from "@/server/auth/permissions";
import { getDb } from "@/server/db/client";
import { maskPaymentFields, maskPaymentText, paymentViewerFor } from "@/server/payments/payment-view";
import { startWorker } from "@/server/worker/worker";
import { apiClient, callRoute } from "./rest";
import { actorFor, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "./saga-harness";
import { unique } from "./factories";
import { until } from "@/test/support/until";

/*
 * SPEC §1: without read_payment_information (agents, store managers) a person sees a tender's
 * method, brand and last 4 only, and a gift card's last 4; a system admin sees everything.
 * Checked for each field that carries a reference, for each role.
 */

const db = getDb();
const STORE = "STORE-MASK";
let h: SagaHarness;
let worker: Awaited<ReturnType<typeof startWorker>>;

interface Referenced {
  provider: string;
  method: string;
  orderId: string;
  cancellationId: string;
  tenderReference: string;
  allocationReference: string;
}
const referenced: Referenced[] = [];
const keys = {} as Record<"agent" | "manager" | "admin", string>;
const ROLE: Record<keyof typeof keys, Role> = { agent: "customer_service_agent", manager: "store_manager", admin: "system_admin" };

function giftCardOrder() {
  const order = simpleOrder(3);
  return { ...order, tenders: [{ tenderId: "T1", method: "gift_card" as const, provider: "internal" as const, providerReference: `GC-${randomUUID().slice(0, 8)}-7731`, authorized: "30.00", captured: "30.00" }] };
}

beforeAll(async () => {
  h = await startSagaHarness();
  worker = await startWorker({ db, databaseUrl: process.env.DATABASE_URL!, payments: h.payments, concurrency: 4, log: () => {} });
  for (const who of ["agent", "manager", "admin"] as const) {
    keys[who] = (await apiClient({ role: ROLE[who], stores: [STORE], scopes: ["orders:read", "orders:write", "cancellations:write"] })).key;
  }
  for (const order of [simpleOrder(3, "stripe"), simpleOrder(3, "adyen"), simpleOrder(3, "paypal"), giftCardOrder()]) {
    const { orderId } = await importForTest({ ...order, storeId: STORE });
    const submitted = await callRoute<{ cancellationId: string }>(submitRoute, {
      key: keys.admin,
      params: { orderId },
      path: "/api/v1/x?wait=10000",
      headers: { "idempotency-key": randomUUID() },
      body: { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
    });
    const { cancellationId } = submitted.body;
    // Wait on the database, not a clock: the saga has recorded the provider's reference (Adyen's
    // stays pending: its confirmation would come by webhook).
    const a = await until(
      `cancellation ${cancellationId}'s provider reference`,
      async () => {
        const c = await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId }, include: { allocations: { include: { tender: true } } } });
        return c.allocations[0]?.providerReference ? c.allocations[0] : undefined;
      },
      { everyMs: 25 },
    );
    referenced.push({ provider: a.tender!.provider, method: a.tender!.method, orderId, cancellationId, tenderReference: a.tender!.providerReference, allocationReference: a.providerReference! });
  }
  expect(referenced.map((c) => c.provider)).toEqual(["stripe", "adyen", "paypal", "internal"]);
  // The routine payment entries no longer name references (issue 15); an alert still may (a late
  // confirmation after a person paid: settle-payment.ts), and its text is masked per viewer.
  for (const c of referenced) {
    await db.cancellationTimelineEntry.create({ data: { cancellationId: c.cancellationId, step: "payment", status: "succeeded", detail: `ALERT: ${c.provider} confirmed ${c.allocationReference} after a person had completed the manual refund` } });
  }
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await h?.stop();
});

const last4 = (reference: string) => `****${reference.slice(-4)}`;
const cases = (["agent", "manager", "admin"] as const).flatMap((who) => [0, 1, 2, 3].map((i) => ({ who, i })));
const label = (i: number) => ["Stripe PaymentIntent", "Adyen PSP reference", "PayPal authorization", "gift-card number"][i]!;

describe.each(cases)("$who, tender $i", ({ who, i }) => {
  const expected = (reference: string, method: string) => (who === "admin" ? reference : method === "gift_card" ? last4(reference) : null);

  it(`the order view's tenders[].providerReference (${label(i)})`, async () => {
    const c = referenced[i]!;
    const { body } = await callRoute<{ tenders: { providerReference: string | null; method: string; brand: string | null; last4: string | null }[] }>(orderRoute, { key: keys[who], params: { orderId: c.orderId } });
    const tender = body.tenders[0]!;
    expect(tender.providerReference).toBe(expected(c.tenderReference, c.method));
    if (c.method === "card") expect(tender).toMatchObject({ brand: "visa", last4: "1111" });
  });

  it(`the cancellation view's refundDetails.allocation[].providerReference and timeline text (${label(i)})`, async () => {
    const c = referenced[i]!;
    const { status, body } = await callRoute<{ refundDetails: { allocation: { providerReference: string | null }[] }; timeline: { detail: string | null }[] }>(statusRoute, {
      key: keys[who],
      params: { orderId: c.orderId, cancellationId: c.cancellationId },
    });
    expect(status).toBe(200);
    expect(body.refundDetails.allocation[0]!.providerReference).toBe(expected(c.allocationReference, c.method));
    const text = JSON.stringify(body);
    const timeline = body.timeline.map((t) => t.detail).join("\n");
    // The saga's own words never name a provider reference; only the alert above does.
    expect(body.timeline.filter((t) => !t.detail?.startsWith("ALERT")).map((t) => t.detail).join("\n")).not.toContain(c.allocationReference);
    if (who === "admin") {
      expect(timeline).toContain(c.allocationReference);
    } else {
      for (const reference of [c.allocationReference, c.tenderReference]) expect(text).not.toContain(reference);
      expect(timeline).toMatch(c.method === "gift_card" ? /\*\*\*\*\w{4}/ : /\[payment reference hidden\]/);
    }
  });

  it.skipIf(who === "agent")(`the approval screen's tenders and refund details (${label(i)})`, async () => {
    const c = referenced[i]!;
    const actor = await actorFor(ROLE[who], [STORE]);
    const view = await getApprovalRequest({ db, actor }, { cancellationId: c.cancellationId });
    expect(view.order.tenders[0]!.providerReference).toBe(expected(c.tenderReference, c.method));
    expect(view.cancellation.refundDetails.allocation[0]!.providerReference).toBe(expected(c.allocationReference, c.method));
    if (who !== "admin") expect(JSON.stringify(view)).not.toContain(c.allocationReference);
  });
});

describe("audit details and free text", () => {
  it("the audit log's viewer masks reference fields for a viewer without read_payment_information", async () => {
    const orderId = randomUUID();
    const reference = `pi_${unique("ref")}`;
    await recordAudit(db, { actorType: "system", actorId: null, action: "test.payment", entity: "order", entityId: orderId, orderId, details: { providerReference: reference, method: "card", giftCard: { reference: "GC-0000-4821", method: "gift_card" } } });
    const asAdmin = await searchAuditLog({ db, actor: await actorFor("system_admin") }, { orderId });
    expect(asAdmin.entries[0]!.details).toContain(reference);
    const asAgent = await searchAuditLog({ db, actor: await actorFor("customer_service_agent") }, { orderId });
    expect(asAgent.entries[0]!.details).not.toContain(reference);
    expect(JSON.parse(asAgent.entries[0]!.details!)).toEqual({ providerReference: "[payment reference hidden]", method: "card", giftCard: { reference: "****4821", method: "gift_card" } });
  });

  it("text masking replaces every known reference, longest first, and leaves others' text alone", () => {
    const agent = paymentViewerFor({ role: "customer_service_agent" });
    const admin = paymentViewerFor({ role: "system_admin" });
    const text = "Refund of 10.00 USD (re_123456) on pi_1234567; gift card GC-99-4242 credited";
    const known = [{ reference: "pi_1234567", method: "card" }, { reference: "re_123456", method: "card" }, { reference: "GC-99-4242", method: "gift_card" }];
    expect(maskPaymentText(agent, text, known)).toBe("Refund of 10.00 USD ([payment reference hidden]) on [payment reference hidden]; gift card ****4242 credited");
    expect(maskPaymentText(admin, text, known)).toBe(text);
    expect(maskPaymentFields(agent, [{ pspReference: "8816", n: 1 }])).toEqual([{ pspReference: "[payment reference hidden]", n: 1 }]);
  });
});
