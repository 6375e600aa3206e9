import type { Prisma } from "@/server/generated/prisma/client";

interface Holding {
  id: string;
  orderId: string;
  shipping: number;
  shippingTax: number;
  items: { orderLineId: string; quantity: number; merchandise: number; tax: number }[];
  allocations: { tenderId: string | null; operation: string; amount: number; status: string }[];
}

/**
 * Gives back what a cancellation held (units, committed refund amounts,
 * shipping, tender amounts not yet moved): rejection, expiry and the
 * compensation of a failed order update, all before the units were
 * cancelled. Call it with the order locked.
 */
export async function releaseHolds(tx: Prisma.TransactionClient, c: Holding): Promise<void> {
  for (const item of c.items) {
    await tx.orderLine.update({
      where: { id: item.orderLineId },
      data: {
        pendingCancel: { decrement: item.quantity },
        netRefunded: { decrement: item.merchandise },
        taxRefunded: { decrement: item.tax },
      },
    });
  }
  for (const a of c.allocations.filter((x) => x.status === "pending" && x.tenderId)) {
    await tx.tender.update({
      where: { id: a.tenderId! },
      data: a.operation === "reversal" ? { reversalHeld: { decrement: a.amount } } : { refundHeld: { decrement: a.amount } },
    });
  }
  await tx.order.update({
    where: { id: c.orderId },
    data: { version: { increment: 1 }, shippingRefunded: { decrement: c.shipping }, shippingTaxRefunded: { decrement: c.shippingTax } },
  });
}
