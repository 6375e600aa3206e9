import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listParkedEvents } from "@/server/admin/operations/list-parked-events";
import { retryParkedEventAsAdmin } from "@/server/admin/operations/retry-parked-event";
import { getDb } from "@/server/db/client";
import { actorFor } from "@/test/saga-harness";
import { BrokerUnavailableError, type EventPublisher } from "./amqp-publisher";
import { type EventEnvelope, type EventType, writeEvent } from "./outbox";
import { relayOutbox } from "./relay-outbox";

// The relay's bookkeeping against real PostgreSQL, with publishers that record or refuse.
const db = getDb();

async function write(orderId: string, type: EventType = "CancellationRequested"): Promise<string> {
  return db.$transaction(async (tx) => {
    await writeEvent(tx, type, { orderId, correlationId: randomUUID(), payload: { n: Math.random() } });
    return (await tx.outboxEvent.findFirstOrThrow({ where: { orderId }, orderBy: { seq: "desc" } })).id;
  });
}

function recorder(refuse: (e: EventEnvelope) => Error | null = () => null) {
  const sent: EventEnvelope[] = [];
  const headers = new Map<string, Record<string, string> | undefined>();
  const publisher: EventPublisher = {
    publish: async (_topic, _key, event, h) => {
      const error = refuse(event);
      if (error) throw error;
      sent.push(event);
      headers.set(event.eventId, h);
    },
    close: async () => {},
  };
  return { sent, headers, publisher };
}

const row = (id: string) => db.outboxEvent.findUniqueOrThrow({ where: { id } });

describe("the outbox relay", () => {
  it("passes an event's stored trace context on in the message headers when its own process does not trace (no tracer here), and none for an event written without one", async () => {
    const [traced, untraced] = [await write(randomUUID()), await write(randomUUID())];
    expect(await row(traced)).toMatchObject({ traceparent: null, tracestate: null });
    const stored = { traceparent: `00-${"ab".repeat(16)}-${"cd".repeat(8)}-01`, tracestate: "pc=1" };
    await db.outboxEvent.update({ where: { id: traced }, data: stored });
    const { headers, publisher } = recorder();
    while ((await relayOutbox(db, publisher)) > 0);
    expect(headers.get(traced)).toEqual(stored);
    expect(headers.has(untraced)).toBe(true);
    expect(headers.get(untraced)).toBeUndefined();
  });

  it("holds no transaction open while it calls the broker: its claim is committed, and no session idles in a transaction", async () => {
    const orderId = randomUUID();
    const id = await write(orderId);
    const seen: { claimedBy: string | null; idleInTransaction: number }[] = [];
    const publisher: EventPublisher = {
      publish: async (_t, _k, event) => {
        if (event.eventId !== id) return;
        const [{ count }] = await db.$queryRaw<[{ count: number }]>`
          SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
        seen.push({ claimedBy: (await row(id)).claimedBy, idleInTransaction: count });
      },
      close: async () => {},
    };
    while ((await relayOutbox(db, publisher)) > 0);
    expect(seen).toEqual([{ claimedBy: expect.any(String), idleInTransaction: 0 }]);
    expect(await row(id)).toMatchObject({ publishedAt: expect.any(Date), claimedBy: null, claimedUntil: null });
  });

  it("a row the broker refuses is counted and retried with backoff; it holds back only its own order; parked after N attempts, then its order moves on; an admin retry publishes it", async () => {
    const x = randomUUID();
    const y = randomUUID();
    const x1 = await write(x);
    const y1 = await write(y);
    const x2 = await write(x);
    const y2 = await write(y);
    let poisoned = true;
    const { sent, publisher } = recorder((e) => (poisoned && e.eventId === x1 ? new Error("message refused: PRECONDITION_FAILED") : null));
    const ours = () => sent.map((e) => e.eventId).filter((id) => [x1, x2, y1, y2].includes(id));

    expect(await relayOutbox(db, publisher, { maxAttempts: 3, backoffMs: () => 60_000 })).toBeGreaterThanOrEqual(2);
    expect(ours()).toEqual([y1, y2]);
    expect(await row(x1)).toMatchObject({ attempts: 1, lastError: "message refused: PRECONDITION_FAILED", parkedAt: null, publishedAt: null, claimedBy: null });
    expect((await row(x1)).nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(await row(x2)).toMatchObject({ attempts: 0, publishedAt: null, claimedBy: null });

    // Backing off: the next round leaves x alone and still publishes other orders.
    const y3 = await write(y);
    await relayOutbox(db, publisher, { maxAttempts: 3 });
    expect(ours()).toEqual([y1, y2]);
    expect(sent.at(-1)!.eventId).toBe(y3);
    expect((await row(x1)).attempts).toBe(1);

    await db.outboxEvent.update({ where: { id: x1 }, data: { nextAttemptAt: new Date(Date.now() - 1) } });
    await relayOutbox(db, publisher, { maxAttempts: 3, backoffMs: () => 0 });
    await relayOutbox(db, publisher, { maxAttempts: 3, backoffMs: () => 0 });
    expect(await row(x1)).toMatchObject({ attempts: 3, parkedAt: expect.any(Date), nextAttemptAt: null, publishedAt: null });
    while ((await relayOutbox(db, publisher, { maxAttempts: 3 })) > 0);
    expect(ours()).toEqual([y1, y2, x2]);

    const admin = await actorFor("system_admin");
    expect((await listParkedEvents({ db }, {})).find((e) => e.eventId === x1)).toMatchObject({ type: "CancellationRequested", orderId: x, attempts: 3, lastError: "message refused: PRECONDITION_FAILED" });
    poisoned = false;
    await retryParkedEventAsAdmin({ db, actor: admin }, { eventId: x1 });
    await expect(retryParkedEventAsAdmin({ db, actor: admin }, { eventId: x1 })).rejects.toMatchObject({ code: "INVALID_STATE" });
    expect(await db.auditLog.count({ where: { action: "outbox_event.retried", entityId: x1, actorId: admin.userId } })).toBe(1);
    while ((await relayOutbox(db, publisher, { maxAttempts: 3 })) > 0);
    expect(ours()).toEqual([y1, y2, x2, x1]);
    expect((await listParkedEvents({ db }, {})).some((e) => e.eventId === x1)).toBe(false);
  });

  it("when the broker is unreachable no attempt is counted against the rows, and the round's confirmed rows stay published", async () => {
    const orderA = randomUUID();
    const orderB = randomUUID();
    const a = await write(orderA);
    const b = await write(orderB);
    const { publisher } = recorder((e) => (e.eventId === b ? new BrokerUnavailableError("connection lost") : null));
    await expect(relayOutbox(db, publisher, { keys: 1000 })).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(await row(a)).toMatchObject({ publishedAt: expect.any(Date) });
    expect(await row(b)).toMatchObject({ publishedAt: null, attempts: 0, lastError: null, claimedBy: null, parkedAt: null });
  });

  it("two relays at once: while one publishes an order's first events, the other takes none of that order's later ones", async () => {
    while ((await relayOutbox(db, recorder().publisher)) > 0); // other tests' leftovers, so that relay A's one key is order 1
    const o1 = randomUUID();
    const o2 = randomUUID();
    const r1 = await write(o1);
    const r2 = await write(o1);
    const q1 = await write(o2);
    const r3 = await write(o1);
    const r4 = await write(o1);
    const q2 = await write(o2);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const held: EventPublisher = {
      publish: async (_t, _k, e) => {
        if (e.eventId === r1) {
          entered();
          await gate;
        }
        order.push(e.eventId);
      },
      close: async () => {},
    };
    const { publisher: other } = recorder((e) => (order.push(e.eventId), null));
    // Relay A claims order 1's first two rows and stops inside the broker call.
    const a = relayOutbox(db, held, { keys: 1, perKey: 2 });
    await inside;
    // Relay B, meanwhile, publishes everything it may: order 2 only.
    while ((await relayOutbox(db, other)) > 0);
    expect(order.filter((id) => [q1, q2].includes(id))).toEqual([q1, q2]);
    expect(order.filter((id) => [r1, r2, r3, r4].includes(id))).toEqual([]);
    release();
    expect(await a).toBe(2);
    while ((await relayOutbox(db, other)) > 0);
    expect(order.filter((id) => [r1, r2, r3, r4].includes(id))).toEqual([r1, r2, r3, r4]);
  });

  it("a row another relay holds is skipped with the rows after it; a claim whose lease ran out (its relay died) is taken over", async () => {
    const orderId = randomUUID();
    const first = await write(orderId);
    const second = await write(orderId);
    await db.outboxEvent.update({ where: { id: first }, data: { claimedBy: "live-relay", claimedUntil: new Date(Date.now() + 60_000) } });
    const { sent, publisher } = recorder();
    while ((await relayOutbox(db, publisher)) > 0);
    expect(sent.filter((e) => e.orderId === orderId)).toEqual([]);

    await db.outboxEvent.update({ where: { id: first }, data: { claimedBy: "dead-relay", claimedUntil: new Date(Date.now() - 1) } });
    while ((await relayOutbox(db, publisher)) > 0);
    expect(sent.filter((e) => e.orderId === orderId).map((e) => e.eventId)).toEqual([first, second]);
  });
});
