import { describe, expect, it } from "vitest";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getDb } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { exampleBOrder } from "@/server/dev/seed-orders";
import { actorFor, exampleA, importForTest, simpleOrder } from "@/test/saga-harness";
import { unique } from "@/test/factories";
import { loadOrderAggregate, loadOrderForActor, ORDER_INCLUDE } from "./load-order";

const db = getDb();
const DAY_MS = 24 * 60 * 60 * 1000;

// What the velocity rule counted with Prisma before the aggregate did it in SQL (SPEC §5).
async function velocityByPrisma(order: { id: string; customerId: string; currency: string }, now: Date) {
  const others = await db.cancellation.findMany({
    where: { order: { customerId: order.customerId }, orderId: { not: order.id }, status: { in: ["pending_approval", "processing", "completed"] }, createdAt: { gte: new Date(now.getTime() - DAY_MS) } },
    distinct: ["orderId"],
    select: { orderId: true },
  });
  const refunded = await db.cancellation.aggregate({
    where: { order: { customerId: order.customerId }, currency: order.currency, status: { in: ["processing", "completed"] }, createdAt: { gte: new Date(now.getTime() - 7 * DAY_MS) } },
    _sum: { total: true },
  });
  return { otherOrdersWithCancellations24h: others.length, refunded7d: Number(refunded._sum.total ?? 0) };
}

describe("the order aggregate", () => {
  it("is exactly what Prisma's include loads: order, lines, discounts and tenders in position order", async () => {
    const agent = await actorFor();
    const { orderId } = await importForTest(exampleA());
    const { orderId: withDiscount } = await importForTest(exampleBOrder({ externalId: unique("WEB-B"), customer: { id: unique("CUST"), name: "B", email: "b@example.com" } }));
    for (const id of [orderId, withDiscount]) {
      const byPrisma = numbered(await db.order.findUniqueOrThrow({ where: { id }, include: ORDER_INCLUDE }));
      const { order, rulesVersion } = await loadOrderAggregate(db, id);
      expect(order).toEqual(byPrisma);
      expect(order!.lines.length).toBeGreaterThan(0);
      expect(order!.tenders.length).toBeGreaterThan(0);
      expect(rulesVersion).toBe((await db.businessRules.findFirst({ orderBy: { version: "desc" } }))?.version ?? 0);
      expect(await loadOrderForActor(db, agent, id)).toEqual(byPrisma);
    }
    expect((await db.order.findUniqueOrThrow({ where: { id: withDiscount }, include: ORDER_INCLUDE })).discounts.length).toBeGreaterThan(0);
  });

  it("answers null for an unknown order and 404 to a store manager of another store", async () => {
    expect((await loadOrderAggregate(db, "00000000-0000-4000-8000-000000000000")).order).toBeNull();
    const { orderId } = await importForTest(exampleA("STORE-001"));
    const manager = await actorFor("store_manager", ["STORE-OTHER"]);
    await expect(loadOrderForActor(db, manager, orderId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("counts the customer's velocity in the same statement as Prisma counted it", async () => {
    const agent = await actorFor();
    const customer = { id: unique("CUST"), name: "Busy Customer", email: "busy@example.com" };
    const orders = [];
    for (let i = 0; i < 3; i++) orders.push((await importForTest({ ...simpleOrder(5), customer })).orderId);
    const request = { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
    // Two cancellations on the first order, one on the second; the third order is the one previewed.
    await submitCancellation({ db, actor: agent }, orders[0]!, request, { idempotencyKey: unique("k"), waitMs: 0 });
    await submitCancellation({ db, actor: agent }, orders[0]!, request, { idempotencyKey: unique("k"), waitMs: 0 });
    await submitCancellation({ db, actor: agent }, orders[1]!, request, { idempotencyKey: unique("k"), waitMs: 0 });
    const now = new Date();
    for (const id of orders) {
      const { order, velocity } = await loadOrderAggregate(db, id, { velocity: true, now });
      const expected = await velocityByPrisma(order!, now);
      expect(velocity).toEqual(expected);
    }
    const third = await loadOrderAggregate(db, orders[2]!, { velocity: true, now });
    expect(third.velocity!.otherOrdersWithCancellations24h).toBe(2);
    expect(third.velocity!.refunded7d).toBeGreaterThan(0);
    // Outside the window nothing counts.
    const later = await loadOrderAggregate(db, orders[2]!, { velocity: true, now: new Date(now.getTime() + 8 * DAY_MS) });
    expect(later.velocity).toEqual({ otherOrdersWithCancellations24h: 0, refunded7d: 0 });
  });
});
