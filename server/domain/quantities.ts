export interface LineQuantities {
  quantity: number;
  shipped: number;
  released: number;
  cancelled: number;
  pendingCancel: number;
}

export type OrderStatus =
  | "OPEN"
  | "PARTIALLY_CANCELLED"
  | "CANCELLED"
  | "PARTIALLY_SHIPPED"
  | "SHIPPED"
  | "COMPLETED";

/** Units of a line that a new cancellation may take (SPEC §2); never negative. */
export function cancellableQuantity(line: LineQuantities): number {
  return Math.max(0, line.quantity - line.shipped - line.released - line.cancelled - line.pendingCancel);
}

/**
 * The status the lines imply. Units held by a pending cancellation are not cancelled yet, so
 * they do not change the status. COMPLETED is never derived from quantities: it is set by the
 * fulfilment side (e.g. delivered) and, once set, the caller keeps it.
 */
export function deriveOrderStatus(
  lines: readonly Pick<LineQuantities, "quantity" | "shipped" | "cancelled">[],
): OrderStatus {
  let quantity = 0;
  let shipped = 0;
  let cancelled = 0;
  for (const line of lines) {
    quantity += line.quantity;
    shipped += line.shipped;
    cancelled += line.cancelled;
  }
  if (quantity > 0 && cancelled >= quantity) return "CANCELLED";
  if (shipped > 0 && shipped >= quantity - cancelled) return "SHIPPED";
  if (shipped > 0) return "PARTIALLY_SHIPPED";
  if (cancelled > 0) return "PARTIALLY_CANCELLED";
  return "OPEN";
}

/** A CANCELLED or COMPLETED order accepts no cancellation (422 ORDER_NOT_CANCELLABLE). */
export function isOrderCancellable(status: OrderStatus): boolean {
  return status !== "CANCELLED" && status !== "COMPLETED";
}
