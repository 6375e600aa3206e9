import { releaseCancellation } from "@/server/domain/order-transitions";
import type { AllocationOperation } from "@/server/domain/allocation";
import type { Prisma } from "@/server/generated/prisma/client";
import { applyOrderChange } from "@/server/orders/apply-order-change";

interface Holding {
  orderId: string;
  shipping: number;
  shippingTax: number;
  shippingWaived: number;
  shippingTaxWaived: number;
  items: { lineId: string; quantity: number; merchandise: number; tax: number; waivedMerchandise: number; waivedTax: number; fromWarehouse: number }[];
  allocations: { operation: AllocationOperation; amount: number; status: "pending" | "succeeded" | "failed" | "manual_required"; tender: { tenderId: string } | null }[];
}

/**
 * Gives back what a cancellation held (units, committed refund amounts and
 * what a no-refund override settled without refund, shipping, tender amounts
 * not yet moved): rejection, expiry, withdrawal and
 * the compensation of a failed order update, all before the units were
 * cancelled. Call it with the order locked.
 */
export async function releaseHolds(tx: Prisma.TransactionClient, c: Holding): Promise<void> {
  const change = releaseCancellation({
    items: c.items,
    allocations: c.allocations.map((a) => ({ tenderId: a.tender?.tenderId ?? null, operation: a.operation, amount: a.amount, status: a.status })),
    shipping: c.shipping + c.shippingWaived,
    shippingTax: c.shippingTax + c.shippingTaxWaived,
  });
  await applyOrderChange(tx, c.orderId, change);
}
