import type { Db } from "@/server/db/client";
import type { Prisma } from "@/server/generated/prisma/client";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The customer's recent cancellations on other orders, as SPEC §5's velocity rule counts them. */
export async function customerVelocity(
  db: Db | Prisma.TransactionClient,
  order: { id: string; customerId: string; currency: string },
  now = new Date(),
) {
  // One after the other: inside a transaction both share one connection.
  const others = await db.cancellation.findMany({
    where: {
      order: { customerId: order.customerId },
      orderId: { not: order.id },
      status: { in: ["pending_approval", "processing", "completed"] },
      createdAt: { gte: new Date(now.getTime() - DAY_MS) },
    },
    distinct: ["orderId"],
    select: { orderId: true },
  });
  const refunded = await db.cancellation.aggregate({
    where: {
      order: { customerId: order.customerId },
      currency: order.currency,
      status: { in: ["processing", "completed"] },
      createdAt: { gte: new Date(now.getTime() - 7 * DAY_MS) },
    },
    _sum: { total: true },
  });
  // Only compared with a limit: a sum beyond the safe range is as good as the largest safe one.
  const sum = refunded._sum.total ?? 0n;
  const refunded7d = sum > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(sum);
  return { otherOrdersWithCancellations24h: others.length, refunded7d };
}
