import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as approveRoute } from "@/app/api/v1/cancellations/[cancellationId]/approve/route";
import { POST as rejectRoute } from "@/app/api/v1/cancellations/[cancellationId]/reject/route";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { GET as listRoute } from "@/app/api/v1/orders/[orderId]/cancellations/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { ZCancellationRequestSchema } from "@/server/cancellations/cancellation-request.schema";
import { requestHash } from "@/server/cancellations/idempotency";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { apiClient, callRoute, statusWhen } from "@/test/rest";
import { exampleA, importForTest, simpleOrder, withSagaWorker } from "@/test/saga-harness";

const db = getDb();
const saga = withSagaWorker({ concurrency: 4 });

type Answer = { cancellationId: string; status: string; refundAmount: string; totals: { total: string }; refundDetails: { allocation: { tenderId: string; operation: string; amount: string; status: string }[] }; timeline: { step: string; status: string }[]; error?: { code: string; details?: { preview?: { totals: { total: string }; previewVersion: number } } } };

const body = (lines: string[], quantities: number[], extra: Record<string, unknown> = {}) => ({ orderLineIds: lines, quantities, reason: "CUSTOMER_REQUEST", refundMethod: "original", ...extra });

/** A fresh Idempotency-Key unless the test names one; `null` sends none. */
async function submit(key: string, orderId: string, b: unknown, opts: { idempotencyKey?: string | null; wait?: string } = {}) {
  const idempotencyKey = opts.idempotencyKey === undefined ? randomUUID() : opts.idempotencyKey;
  return callRoute<Answer>(submitRoute, {
    key,
    params: { orderId },
    body: b,
    path: `/api/v1/orders/${orderId}/cancel-partial${opts.wait !== undefined ? `?wait=${opts.wait}` : ""}`,
    headers: idempotencyKey === null ? {} : { "idempotency-key": idempotencyKey },
  });
}

const waitForStatus = (orderId: string, cancellationId: string, key: string, status: string) => statusWhen<Answer>(key, orderId, cancellationId, (s) => s.status === status);

describe("SPEC example A end to end through the REST API", () => {
  it("ends CANCELLED with refunds 194.85, 97.43 and 58.71; exactly 300.99 reversed at the card, 50.00 to the gift card", async () => {
    const { key } = await apiClient();
    const order = exampleA();
    const { orderId } = await importForTest(order);
    const first = await submit(key, orderId, body(["A"], [2]));
    expect(first.status).toBe(201);
    expect(first.body.refundAmount).toBe("194.85");
    const one = first.body.status === "completed" ? first.body : await waitForStatus(orderId, first.body.cancellationId, key, "completed");
    expect(one.refundDetails.allocation).toEqual([expect.objectContaining({ tenderId: "T1", operation: "reversal", amount: "194.85", status: "succeeded" })]);
    expect(one.timeline.map((t) => t.step)).toEqual(expect.arrayContaining(["requested", "order_adjustment", "payment", "inventory_release", "completion"]));

    const second = await submit(key, orderId, body(["A"], [1]));
    expect(second.body.refundAmount).toBe("97.43");
    await waitForStatus(orderId, second.body.cancellationId, key, "completed");
    const third = await submit(key, orderId, body(["B"], [1]));
    expect(third.body.refundAmount).toBe("58.71");
    const last = await waitForStatus(orderId, third.body.cancellationId, key, "completed");
    expect(last.refundDetails.allocation).toEqual([
      expect.objectContaining({ tenderId: "T1", operation: "reversal", amount: "8.71", status: "succeeded" }),
      expect.objectContaining({ tenderId: "T2", operation: "refund", amount: "50.00", status: "succeeded" }),
    ]);

    const stored = await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { tenders: { orderBy: { position: "asc" } } } }).then(numbered);
    expect(stored.status).toBe("CANCELLED");
    expect(stored.tenders.map((t) => [t.reversed, t.refunded, t.reversalHeld, t.refundHeld])).toEqual([[30099, 0, 0, 0], [0, 5000, 0, 0]]);
    const card = saga.harness.fake.state.find("stripe", order.tenders[0]!.providerReference)!;
    expect(card.reversed).toBe(30099);
    expect(card.refunded).toBe(0);
    expect(card.operations.map((o) => o.amount).reduce((a, b) => a + b, 0)).toBe(30099);
    const giftCard = await db.ledgerAccount.findUniqueOrThrow({ where: { reference: order.tenders[1]!.providerReference }, include: { entries: true } }).then(numbered);
    expect(giftCard.balance).toBe(5000);
    expect(giftCard.entries.map((e) => e.amount)).toEqual([5000]);

    const list = await callRoute<{ cancellations: { status: string }[] }>(listRoute, { key, params: { orderId }, path: `/api/v1/orders/${orderId}/cancellations?status=completed` });
    expect(list.body.cancellations).toHaveLength(3);
    const more = await submit(key, orderId, body(["A"], [1]));
    expect(more.status).toBe(422);
    expect(more.body.error?.code).toBe("ORDER_NOT_CANCELLABLE");
  });
});

describe("the answer waits for the saga", () => {
  it("answers completed with the refund details when the saga finishes in time, processing with ?wait=0", async () => {
    const { key } = await apiClient();
    const order = simpleOrder(4);
    const { orderId } = await importForTest(order);
    const waited = await submit(key, orderId, body(["1"], [1]), { wait: "10000" });
    expect(waited.body.status).toBe("completed");
    expect(waited.body.refundDetails.allocation).toEqual([expect.objectContaining({ status: "succeeded", amount: "10.00" })]);
    // The provider is slow now, so the saga cannot have finished when ?wait=0 answers.
    saga.harness.fake.state.addFault({ provider: "stripe", operation: undefined, reference: order.tenders[0]!.providerReference, kind: "slow", count: 1, ms: 1500 });
    const immediate = await submit(key, orderId, body(["1"], [1]), { wait: "0" });
    expect(immediate.status).toBe(201);
    expect(immediate.body.status).toBe("processing");
  });

  it("refuses a malformed wait", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(1));
    const bad = await submit(key, orderId, body(["1"], [1]), { wait: "soon" });
    expect(bad.status).toBe(400);
    expect(await db.cancellation.count({ where: { orderId } })).toBe(0);
  });
});

describe("concurrency", () => {
  it("20 concurrent single-unit submits on a 10-unit line: exactly 10 accepted, 10 refused with 409", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(10));
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(key, orderId, body(["1"], [1]), { wait: "0" })));
    const statuses = answers.map((a) => a.status).join(",");
    expect(answers.filter((a) => a.status === 201), statuses).toHaveLength(10);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused, statuses).toHaveLength(10);
    expect(refused.every((a) => a.body.error?.code === "QUANTITY_EXCEEDS_CANCELLABLE")).toBe(true);
    const line = await db.orderLine.findFirstOrThrow({ where: { orderId } }).then(numbered);
    expect(line.cancelled + line.pendingCancel).toBe(10);
  });
});

describe("idempotency (SPEC §6)", () => {
  it("a submit without an Idempotency-Key is 400 IDEMPOTENCY_KEY_REQUIRED and changes nothing", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(5));
    const missing = await submit(key, orderId, body(["1"], [1]), { idempotencyKey: null });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe("IDEMPOTENCY_KEY_REQUIRED");
    expect(await db.cancellation.count({ where: { orderId } })).toBe(0);
  });

  it("keys are 1–255 printable ASCII characters, spaces allowed; anything else is 400 and changes nothing", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(5));
    for (const bad of ["k".repeat(256), "tab\tinside", "caf\u00e9"]) {
      const answer = await submit(key, orderId, body(["1"], [1]), { idempotencyKey: bad, wait: "0" });
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.body.error?.code).toBe("VALIDATION_FAILED");
    }
    expect(await db.cancellation.count({ where: { orderId } })).toBe(0);
    for (const good of ["order 42 / confirmation 1", "~".repeat(255), "x"]) {
      expect((await submit(key, orderId, body(["1"], [1]), { idempotencyKey: good, wait: "0" })).status, good).toBe(201);
    }
    expect(await db.cancellation.count({ where: { orderId } })).toBe(3);
  });

  it("a replay returns exactly the first answer with Idempotent-Replayed; another body gets 422; one cancellation exists", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(5));
    const first = await submit(key, orderId, body(["1"], [1]), { idempotencyKey: "key-1" });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await submit(key, orderId, body(["1"], [1]), { idempotencyKey: "key-1" });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    const other = await submit(key, orderId, body(["1"], [2]), { idempotencyKey: "key-1" });
    expect(other.status).toBe(422);
    expect(other.body.error?.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await db.cancellation.count({ where: { orderId } })).toBe(1);
  });

  it("?wait=0: the answer is the one committed with the cancellation, its key already completed; a replay is that answer", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(5));
    const first = await submit(key, orderId, body(["1"], [1]), { idempotencyKey: "at-once", wait: "0" });
    expect([first.status, first.body.status]).toEqual([201, "processing"]);
    const record = await db.idempotencyRecord.findFirstOrThrow({ where: { key: "at-once", responseBody: { path: ["cancellationId"], equals: first.body.cancellationId } } });
    expect(record.completedAt).not.toBeNull();
    expect(record.lockedUntil).toBeNull();
    expect(record.responseBody).toEqual(first.body);
    // Even after the saga finished, the replay is the answer sent, not a fresh read.
    await waitForStatus(orderId, first.body.cancellationId, key, "completed");
    const again = await submit(key, orderId, body(["1"], [1]), { idempotencyKey: "at-once", wait: "0" });
    expect([again.status, again.headers.get("idempotent-replayed")]).toEqual([201, "true"]);
    expect(again.body).toEqual(first.body);
    expect(await db.cancellation.count({ where: { orderId } })).toBe(1);
  });

  it("20 simultaneous same-key submits: one 201, the rest identical replays or 409 IDEMPOTENCY_KEY_IN_USE with Retry-After", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(5));
    // The default wait keeps the first request in flight while the saga runs, as a client sees it.
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(key, orderId, body(["1"], [1]), { idempotencyKey: "race" })));
    const firsts = answers.filter((a) => a.status === 201 && a.headers.get("idempotent-replayed") === null);
    expect(firsts).toHaveLength(1);
    const first = firsts[0]!;
    for (const a of answers.filter((x) => x !== first)) {
      if (a.status === 201) {
        expect(a.headers.get("idempotent-replayed")).toBe("true");
        expect(a.body).toEqual(first.body);
      } else {
        expect(a.status).toBe(409);
        expect(a.body.error?.code).toBe("IDEMPOTENCY_KEY_IN_USE");
        expect(Number(a.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
    }
    // Once the first has answered, every retry gets exactly its answer.
    const later = await submit(key, orderId, body(["1"], [1]), { idempotencyKey: "race" });
    expect([later.status, later.headers.get("idempotent-replayed")]).toEqual([201, "true"]);
    expect(later.body).toEqual(first.body);
    expect(await db.cancellation.count({ where: { orderId } })).toBe(1);
    const line = await db.orderLine.findFirstOrThrow({ where: { orderId } }).then(numbered);
    expect(line.cancelled + line.pendingCancel).toBe(1);
  });

  it("a refused request stores no answer: the key is free for the corrected request", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(2));
    const tooMany = await submit(key, orderId, body(["1"], [3]), { idempotencyKey: "fix-and-retry", wait: "0" });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error?.code).toBe("QUANTITY_EXCEEDS_CANCELLABLE");
    const fixed = await submit(key, orderId, body(["1"], [2]), { idempotencyKey: "fix-and-retry", wait: "0" });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
  });

  it("a claim whose process stopped: before its commit the key is taken over, after it the committed answer is replayed", async () => {
    const client = await apiClient();
    const { orderId } = await importForTest(simpleOrder(5));
    const scope = `api_key:${(await db.apiKey.findFirstOrThrow({ where: { userId: client.user.id } })).id}`;
    const past = new Date(Date.now() - 1000);
    const hashOf = (q: number) => requestHash({ orderId, request: ZCancellationRequestSchema.parse(body(["1"], [q])) });
    await db.idempotencyRecord.create({ data: { scope, key: "stopped-early", requestHash: hashOf(1), lockedUntil: past, expiresAt: new Date(Date.now() + 3_600_000) } });
    const taken = await submit(client.key, orderId, body(["1"], [1]), { idempotencyKey: "stopped-early", wait: "0" });
    expect([taken.status, taken.headers.get("idempotent-replayed")]).toEqual([201, null]);

    const committed = { cancellationId: "committed-answer", status: "processing" };
    await db.idempotencyRecord.create({ data: { scope, key: "stopped-late", requestHash: hashOf(2), lockedUntil: past, responseStatus: 201, responseBody: committed, expiresAt: new Date(Date.now() + 3_600_000) } });
    const replayed = await submit(client.key, orderId, body(["1"], [2]), { idempotencyKey: "stopped-late", wait: "0" });
    expect([replayed.status, replayed.headers.get("idempotent-replayed"), replayed.body]).toEqual([201, "true", committed]);

    await db.idempotencyRecord.create({ data: { scope, key: "running", requestHash: hashOf(1), lockedUntil: new Date(Date.now() + 60_000), expiresAt: new Date(Date.now() + 3_600_000) } });
    const busy = await submit(client.key, orderId, body(["1"], [1]), { idempotencyKey: "running", wait: "0" });
    expect([busy.status, busy.body.error?.code, busy.headers.get("retry-after")]).toEqual([409, "IDEMPOTENCY_KEY_IN_USE", "1"]);
    expect(await db.cancellation.count({ where: { orderId } })).toBe(1);
  });

  it("keys are scoped per caller", async () => {
    const a = await apiClient();
    const b = await apiClient();
    const { orderId } = await importForTest(simpleOrder(5));
    const first = await submit(a.key, orderId, body(["1"], [1]), { idempotencyKey: "shared", wait: "0" });
    const second = await submit(b.key, orderId, body(["1"], [1]), { idempotencyKey: "shared", wait: "0" });
    expect(second.body.cancellationId).not.toBe(first.body.cancellationId);
  });
});

describe("stale previews and the amount committed", () => {
  it("a previewVersion that is no longer current gets 409 STALE_PREVIEW with a fresh preview", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(exampleA());
    const preview = await callRoute<{ previewVersion: number; totals: { total: string } }>(previewRoute, { key, params: { orderId }, body: body(["A"], [1]) });
    await submit(key, orderId, body(["A"], [1], { previewVersion: preview.body.previewVersion }), { wait: "0" });
    const stale = await submit(key, orderId, body(["A"], [1], { previewVersion: preview.body.previewVersion }), { wait: "0" });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe("STALE_PREVIEW");
    expect(stale.body.error?.details?.preview?.previewVersion).toBeGreaterThan(preview.body.previewVersion);
    expect(stale.body.error?.details?.preview?.totals.total).toBe("97.43");
    expect(await db.cancellation.count({ where: { orderId } })).toBe(1);
  });

  it("the submitted refund equals the preview the user saw", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(exampleA());
    const preview = await callRoute<{ previewVersion: number; totals: { total: string } }>(previewRoute, { key, params: { orderId }, body: body(["A", "B"], [1, 1]) });
    const answer = await submit(key, orderId, body(["A", "B"], [1, 1], { previewVersion: preview.body.previewVersion }));
    expect(answer.body.totals).toEqual(preview.body.totals);
  });
});

describe("the approval gate", () => {
  const bigOrder = () => ({ ...simpleOrder(100), storeId: "STORE-AP1" });

  it("holds an over-limit request, forbids self-approval, hides it from other stores' managers, and completes once approved", async () => {
    const agent = await apiClient({ scopes: ["orders:read", "cancellations:write", "cancellations:approve"] });
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-AP1"], scopes: ["orders:read", "cancellations:approve"] });
    const otherManager = await apiClient({ role: "store_manager", stores: ["STORE-AP2"], scopes: ["orders:read", "cancellations:approve"] });
    const { orderId } = await importForTest(bigOrder());
    const held = await submit(agent.key, orderId, body(["1"], [60]));
    expect(held.status).toBe(201);
    expect(held.body.status).toBe("pending_approval");
    expect((await db.orderLine.findFirstOrThrow({ where: { orderId } }).then(numbered)).pendingCancel).toBe(60);

    const self = await callRoute<Answer>(approveRoute, { key: agent.key, params: { cancellationId: held.body.cancellationId }, body: {} });
    expect(self.status).toBe(403);
    const other = await callRoute<Answer>(approveRoute, { key: otherManager.key, params: { cancellationId: held.body.cancellationId }, body: {} });
    expect(other.status).toBe(404);
    const approved = await callRoute<Answer>(approveRoute, { key: manager.key, params: { cancellationId: held.body.cancellationId } });
    expect(approved.status).toBe(200);
    await waitForStatus(orderId, held.body.cancellationId, manager.key, "completed");
    const again = await callRoute<Answer>(approveRoute, { key: manager.key, params: { cancellationId: held.body.cancellationId }, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe("INVALID_STATE");
  });

  it("reject needs a note and gives the units back", async () => {
    const agent = await apiClient();
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-AP1"], scopes: ["orders:read", "cancellations:approve"] });
    const { orderId } = await importForTest(bigOrder());
    const held = await submit(agent.key, orderId, body(["1"], [60]));
    const noNote = await callRoute<Answer>(rejectRoute, { key: manager.key, params: { cancellationId: held.body.cancellationId }, body: {} });
    expect(noNote.status).toBe(400);
    const rejected = await callRoute<Answer>(rejectRoute, { key: manager.key, params: { cancellationId: held.body.cancellationId }, body: { note: "Customer called back" } });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe("rejected");
    const line = await db.orderLine.findFirstOrThrow({ where: { orderId } }).then(numbered);
    expect([line.pendingCancel, line.netRefunded, line.cancelled]).toEqual([0, 0, 0]);
    const tender = await db.tender.findFirstOrThrow({ where: { orderId } }).then(numbered);
    expect([tender.reversalHeld, tender.refundHeld]).toEqual([0, 0]);
  });

  it("an API key without cancellations:approve cannot approve", async () => {
    const agent = await apiClient();
    const manager = await apiClient({ role: "store_manager", stores: ["STORE-AP1"], scopes: ["orders:read"] });
    const { orderId } = await importForTest(bigOrder());
    const held = await submit(agent.key, orderId, body(["1"], [60]));
    expect((await callRoute<Answer>(approveRoute, { key: manager.key, params: { cancellationId: held.body.cancellationId }, body: {} })).status).toBe(403);
  });
});
