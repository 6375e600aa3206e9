import { z } from "zod";

/*
 * The warehouse as the app sees it (Manhattan Active WM, seed 3.3): it is asked to stop released
 * units (`POST /wm/inventory/unreserve`) and answers later, per line, by a signed callback to
 * /api/webhooks/warehouse and/or a message on `wm.fulfillment.updates`; `GET /wm/inventory/status`
 * says what it holds for an order (reconciliation).
 */

export interface UnreserveLine {
  lineId: string;
  sku: string;
  locationId: string;
  quantity: number;
}

export interface UnreserveRequest {
  /** Ours, one per cancellation: the warehouse answers under it, and a repeated request is the same one. */
  requestId: string;
  orderId: string;
  lines: UnreserveLine[];
}

export interface WarehouseLineStatus {
  orderId: string;
  lineId: string;
  sku: string;
  locationId: string;
  /** Units the warehouse holds for the order at the location (released, picked or packed: not shipped). */
  held: number;
  released: number;
  picked: number;
  packed: number;
  shipped: number;
}

export interface Warehouse {
  /** Resolves when the warehouse has taken the request (it answers later); throws WarehouseError. */
  unreserve(request: UnreserveRequest): Promise<void>;
  status(orderIds: string[]): Promise<WarehouseLineStatus[]>;
}

/** A warehouse call that failed after classification (`transient`: retried; `permanent`: it said no). */
export { ProviderError as WarehouseError } from "@/server/payments/resilience";

export const WAREHOUSE_OUTCOMES = ["confirmed", "partial", "refused"] as const;

/** The answer, as the callback and the queue carry it. */
export const ZWarehouseAnswerSchema = z.object({
  messageId: z.string().min(1).max(200),
  requestId: z.string().uuid(),
  orderId: z.string().uuid(),
  lines: z
    .array(
      z.object({
        lineId: z.string().min(1).max(200),
        requested: z.number().int().min(0),
        stopped: z.number().int().min(0),
        outcome: z.enum(WAREHOUSE_OUTCOMES),
      }),
    )
    .min(1)
    .max(500),
});

export type TWarehouseAnswer = z.infer<typeof ZWarehouseAnswerSchema>;
