import type { Prisma } from "@/server/generated/prisma/client";

interface Holding {
  id: string;
  orderId: string;
  shipping: number;
  shippingTax: number;
  shippingWaived: number;
  shippingTaxWaived: number;
  items: { orderLineId: string; quantity: number; merchandise: number; tax: number; waivedMerchandise: number; waivedTax: number }[];
  allocations: { tenderId: string | null; operation: string; amount: number; status: string }[];
}

/**
 * Gives back what a cancellation held (units, committed refund amounts and
 * what a no-refund override settled without refund, shipping, tender amounts
 * not yet moved): rejection, expiry, withdrawal and the
 * compensation of a failed order update, all before the units were
 * cancelled. Call it with the order locked.
 */
export async function releaseHolds(tx: Prisma.TransactionClient, c: Holding): Promise<void> {
  for (const item of c.items) {
    await tx.orderLine.update({
      where: { id: item.orderLineId },
      data: {
        pendingCancel: { decrement: item.quantity },
        netRefunded: { decrement: item.merchandise + item.waivedMerchandise },
        taxRefunded: { decrement: item.tax + item.waivedTax },
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
    data: { version: { increment: 1 }, shippingRefunded: { decrement: c.shipping + c.shippingWaived }, shippingTaxRefunded: { decrement: c.shippingTax + c.shippingTaxWaived } },
  });
}
