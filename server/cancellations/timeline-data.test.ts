import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as approveRoute } from "@/app/api/v1/cancellations/[cancellationId]/approve/route";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { GET as statusRoute } from "@/app/api/v1/orders/[orderId]/cancellations/[cancellationId]/route";
import { getDb } from "@/server/db/client";
import { isTimelineKind } from "@/server/domain/timeline-entry";
import { apiClient, callRoute, statusWhen } from "@/test/rest";
import { exampleA, importForTest, simpleOrder, withSagaWorker } from "@/test/saga-harness";

/*
 * Issue 15 "human timeline": every entry a cancellation's life writes carries its facts (`data`),
 * and what the status answer shows is made from them when read — product names, money in the
 * order's currency, "Visa •••• 4242", roles in words, the actor's name — never a raw enum or id.
 */
const db = getDb();
const APPROVER = ["orders:read", "orders:write", "cancellations:write", "cancellations:approve"] as const;
withSagaWorker();

type Status = { status: string; timeline: { at: string; step: string; status: string; detail: string | null }[] };

const settled = (key: string, orderId: string, cancellationId: string) =>
  statusWhen<Status>(key, orderId, cancellationId, (s) => s.status === "completed" && s.timeline.some((t) => t.step === "inventory_release"));

const submit = (key: string, orderId: string, lines: string[], quantities: number[]) =>
  callRoute<{ cancellationId: string; status: string }>(submitRoute, {
    key,
    params: { orderId },
    body: { orderLineIds: lines, quantities, reason: "CUSTOMER_REQUEST", refundMethod: "original" },
    path: `/api/v1/orders/${orderId}/cancel-partial?wait=0`,
    headers: { "idempotency-key": randomUUID() },
  });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Raw codes: snake_case enums, SCREAMING statuses, "350.99 USD"-style money. */
const RAW = /\b[a-z]+_[a-z_]+\b|\b(?:PARTIALLY_CANCELLED|CANCELLED|OPEN)\b|\d+\.\d{2} [A-Z]{3}\b/;

async function expectFactsOnEveryRow(cancellationId: string) {
  const rows = await db.cancellationTimelineEntry.findMany({ where: { cancellationId } });
  expect(rows.length).toBeGreaterThan(3);
  for (const r of rows) {
    expect(r.data, `${r.step}/${r.status} has no facts`).not.toBeNull();
    expect(isTimelineKind((r.data as { kind?: unknown }).kind), `${r.step}/${r.status}`).toBe(true);
  }
}

function expectHumanWords(timeline: Status["timeline"]) {
  for (const t of timeline) {
    expect(t.detail, `${t.step}/${t.status}`).toBeTruthy();
    expect(t.detail, `${t.step}/${t.status}`).not.toMatch(UUID);
    expect(t.detail, `${t.step}/${t.status}`).not.toMatch(RAW);
  }
}

describe("timeline entries as facts, rendered when read (issue 15)", () => {
  it("a full cancellation of example A: every entry carries its facts; the words name the products, the tenders and the money in dollars", async () => {
    const agent = await apiClient({ role: "customer_service_agent" });
    const { orderId } = await importForTest(exampleA());
    const submitted = await submit(agent.key, orderId, ["A", "B"], [3, 1]);
    expect(submitted.status).toBe(201);
    const id = submitted.body.cancellationId;
    const s = await settled(agent.key, orderId, id);

    await expectFactsOnEveryRow(id);
    expectHumanWords(s.timeline);
    const words = s.timeline.map((t) => t.detail).join("\n");
    expect(words).toContain(`Requested by ${agent.user.name} (customer service agent) in the API`);
    expect(words).toContain("The order is now cancelled");
    expect(words).toContain("Release the $300.99 hold on Visa •••• 4242");
    expect(words).toContain("Refund $50.00 to gift card");
    expect(words).toContain("3 × Oxford shirt, red, M released at DC-EAST");
    expect(words).toContain("1 × Wool scarf, charcoal released at DC-EAST");
  });

  it("an approval: the gate with its numbers, the approver by name and role in words", async () => {
    const agent = await apiClient({ role: "customer_service_agent" });
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-001"], scopes: [...APPROVER] });
    const { orderId } = await importForTest(simpleOrder(60));
    const submitted = await submit(agent.key, orderId, ["1"], [60]);
    expect(submitted.body.status).toBe("pending_approval");
    const id = submitted.body.cancellationId;
    const approved = await callRoute<{ status: string }>(approveRoute, { key: manager.key, params: { cancellationId: id }, method: "POST", body: { note: "checked with the customer" }, path: `/api/v1/cancellations/${id}/approve` });
    expect(approved.status).toBe(200);
    const s = await settled(agent.key, orderId, id);

    await expectFactsOnEveryRow(id);
    expectHumanWords(s.timeline);
    const words = s.timeline.map((t) => t.detail).join("\n");
    expect(words).toContain("Needs approval by a store manager: $600.00 is $100.00 over the customer service agent's $500.00 limit");
    expect(words).toContain(`Approved by ${manager.user.name} (store manager): checked with the customer`);
    expect(words).toContain("Release the $600.00 hold on Visa •••• 1111");
  });

  it("the words come from the facts at read time; an older entry with no facts shows its stored text", async () => {
    const agent = await apiClient({ role: "customer_service_agent" });
    const { orderId } = await importForTest(simpleOrder(3));
    const id = (await submit(agent.key, orderId, ["1"], [1])).body.cancellationId;
    await settled(agent.key, orderId, id);
    const adjusted = await db.cancellationTimelineEntry.findFirstOrThrow({ where: { cancellationId: id, step: "order_adjustment" } });
    // Stored words of another wording: the facts win.
    await db.cancellationTimelineEntry.update({ where: { id: adjusted.id }, data: { detail: "Order is now PARTIALLY_CANCELLED" } });
    await db.cancellationTimelineEntry.create({ data: { cancellationId: id, step: "legacy", status: "succeeded", detail: "Written before facts were stored" } });

    const s = (await callRoute<Status>(statusRoute, { key: agent.key, params: { orderId, cancellationId: id } })).body;
    expect(s.timeline.find((t) => t.step === "order_adjustment")!.detail).toBe("The order is now partly cancelled");
    expect(s.timeline.find((t) => t.step === "legacy")!.detail).toBe("Written before facts were stored");
  });
});
