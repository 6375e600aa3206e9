import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { unique } from "@/test/factories";
import { actorFor, importForTest, simpleOrder } from "@/test/saga-harness";
import { createAdmission } from "./admission";
import { submitCancellation } from "./submit-cancellation";

const db = getDb();

describe("submit admission (load shedding)", () => {
  it("runs up to maxInFlight, queues up to maxQueued, and refuses the rest with RATE_LIMITED and a retry delay", async () => {
    const gate = createAdmission({ maxInFlight: 2, maxQueued: 1, maxWaitMs: 60_000 });
    const first = await gate.acquire();
    await gate.acquire();
    let third: (() => void) | null = null;
    const queued = gate.acquire().then((release) => (third = release));
    expect(gate.state).toEqual({ inFlight: 2, queued: 1 });
    await expect(gate.acquire()).rejects.toMatchObject({ code: "RATE_LIMITED", details: { retryAfterSeconds: expect.any(Number) } });
    first();
    first(); // releasing twice frees one slot only
    await queued;
    expect(third).not.toBeNull();
    expect(gate.state).toEqual({ inFlight: 2, queued: 0 });
  });

  it("a request that waited too long for a turn is refused, and leaves the queue", async () => {
    const gate = createAdmission({ maxInFlight: 1, maxQueued: 5, maxWaitMs: 20 });
    await gate.acquire();
    await expect(gate.acquire()).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(gate.state).toEqual({ inFlight: 1, queued: 0 });
  });

  it("a shed submit changes nothing and does not claim its Idempotency-Key: the retry with the same key is accepted", async () => {
    const actor = await actorFor();
    const { orderId } = await importForTest(simpleOrder(3));
    const request = { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
    const idempotencyKey = unique("k");
    const full = createAdmission({ maxInFlight: 1, maxQueued: 0, maxWaitMs: 10 });
    const hold = await full.acquire();
    await expect(submitCancellation({ db, actor }, orderId, request, { idempotencyKey, waitMs: 0, admission: full })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await db.cancellation.count({ where: { orderId } })).toBe(0);
    expect(await db.idempotencyRecord.count({ where: { key: idempotencyKey } })).toBe(0);
    hold();
    const accepted = await submitCancellation({ db, actor }, orderId, request, { idempotencyKey, waitMs: 0, admission: full });
    expect(accepted).toMatchObject({ status: 201, replayed: false });
    expect(full.state).toEqual({ inFlight: 0, queued: 0 });
  });
});
