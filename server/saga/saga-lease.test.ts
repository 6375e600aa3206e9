import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { Prisma } from "@/server/generated/prisma/client";
import type { PaymentProviders } from "@/server/payments/registry";
import { actorFor, importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "@/test/saga-harness";
import { runSaga } from "./run-saga";
import { acquireSagaLease, fencedDb, SagaLeaseLost } from "./saga-lease";

const db = getDb();
let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness();
});
afterAll(() => h.stop());

async function submitted(quantity = 2) {
  const agent = await actorFor();
  const order = simpleOrder(quantity);
  const { orderId } = await importForTest(order, agent);
  const answer = await submitCancellation({ db, actor: agent }, orderId, { orderLineIds: ["1"], quantities: [quantity], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, { idempotencyKey: randomUUID(), waitMs: 0 });
  expect(answer.body.status).toBe("processing");
  return { orderId, cancellationId: answer.body.cancellationId, reference: order.tenders[0]!.providerReference };
}

/** The harness's providers, with Stripe's reversals counted and held at a gate until the test opens it. */
function gatedStripe() {
  let calls = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const payments: PaymentProviders = {
    ...h.payments,
    stripe: {
      refund: (...args) => h.payments.stripe.refund(...args),
      lookUp: (...args) => h.payments.stripe.lookUp(...args),
      reverse: async (...args) => {
        calls += 1;
        entered();
        await gate;
        return h.payments.stripe.reverse(...args);
      },
    },
  };
  return { payments, open, inside, calls: () => calls };
}

describe("one runner per saga", () => {
  it("two runners started on one cancellation at once: one acts, the other backs off having done nothing", async () => {
    const { cancellationId, reference } = await submitted();
    const stripe = gatedStripe();
    const first = runSaga({ db, payments: stripe.payments }, cancellationId);
    await stripe.inside; // the first runner is in the provider call
    const second = await runSaga({ db, payments: stripe.payments }, cancellationId);
    expect(second).toBe("busy");
    stripe.open();
    expect(await first).toBe("completed");

    expect(stripe.calls()).toBe(1);
    expect(h.fake.state.find("stripe", reference)!.operations).toHaveLength(1);
    const timeline = await db.cancellationTimelineEntry.findMany({ where: { cancellationId, step: "payment" } });
    expect(timeline.map((t) => t.status)).toEqual(["succeeded"]);
  });

  it("two runners racing from the start never both call the provider", async () => {
    const { cancellationId, reference } = await submitted();
    const stripe = gatedStripe();
    const both = Promise.all([runSaga({ db, payments: stripe.payments }, cancellationId), runSaga({ db, payments: stripe.payments }, cancellationId)]);
    await stripe.inside;
    stripe.open();
    expect((await both).sort()).toEqual(["busy", "completed"]);
    expect(stripe.calls()).toBe(1);
    expect(h.fake.state.find("stripe", reference)!.operations).toHaveLength(1);
  });

  it("a runner whose lock connection was lost commits nothing more, and the lock is free for the next runner", async () => {
    const { cancellationId } = await submitted();
    const lease = (await acquireSagaLease(process.env.DATABASE_URL!, cancellationId))!;
    expect(lease).not.toBeNull();
    expect(await acquireSagaLease(process.env.DATABASE_URL!, cancellationId)).toBeNull();
    const fenced = fencedDb(db, lease);
    await fenced.$transaction((tx) => tx.cancellation.update({ where: { id: cancellationId }, data: { failureReason: "still held" } }));

    // The lock connection dies (as when the network drops it); PostgreSQL releases its locks when the backend is gone.
    const lockConnection = Prisma.sql`SELECT pid FROM pg_stat_activity WHERE application_name = ${`saga:${cancellationId}`}`;
    await db.$executeRaw`SELECT pg_terminate_backend(pid) FROM (${lockConnection}) s`;
    while ((await db.$queryRaw<unknown[]>`${lockConnection}`).length) await new Promise((r) => setTimeout(r, 20));
    await expect(fenced.$transaction((tx) => tx.cancellation.update({ where: { id: cancellationId }, data: { failureReason: "after the loss" } }))).rejects.toBeInstanceOf(SagaLeaseLost);
    expect((await db.cancellation.findUniqueOrThrow({ where: { id: cancellationId } })).failureReason).toBe("still held");
    await lease.release();

    const next = await acquireSagaLease(process.env.DATABASE_URL!, cancellationId);
    expect(next).not.toBeNull();
    await next!.release();
  });
});
