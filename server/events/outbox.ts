import { randomUUID } from "node:crypto";
import { Prisma } from "@/server/generated/prisma/client";
import { traceHeaders } from "@/server/observability/spans";
import { enqueueNotificationJobs } from "./notification-jobs";

// SPEC §8: event types and the seed's topics, keyed by orderId.
export const EVENT_TOPICS = {
  CancellationRequested: "cancellation-events",
  CancellationApprovalRequested: "cancellation-events",
  CancellationApproved: "cancellation-events",
  CancellationRejected: "cancellation-events",
  CancellationExpired: "cancellation-events",
  CancellationWithdrawn: "cancellation-events",
  CancellationCompleted: "cancellation-events",
  CancellationFailed: "cancellation-events",
  ShippingRefundAdded: "cancellation-events",
  OrderQuantityAdjusted: "order-events",
  AuthorizationReversed: "payment-events",
  RefundProcessed: "payment-events",
  InventoryReleased: "inventory-events",
  WarehouseCancellationRequested: "inventory-events",
  WarehouseCancellationConfirmed: "inventory-events",
  WarehouseCancellationRefused: "inventory-events",
} as const;

export type EventType = keyof typeof EVENT_TOPICS;

export interface EventEnvelope {
  eventId: string;
  type: EventType;
  correlationId: string;
  orderId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/**
 * Writes an event to the outbox; call it in the transaction of the state change it announces.
 * The notification jobs of the event (notification-jobs.ts) are enqueued in the same transaction.
 * The active trace (W3C traceparent/tracestate) is kept with the event, for the relay to continue.
 */
export async function writeEvent(
  tx: Prisma.TransactionClient,
  type: EventType,
  e: { orderId: string; correlationId: string; payload: Prisma.InputJsonObject },
): Promise<void> {
  const event = eventInsert(type, e);
  await tx.$executeRaw(event.sql);
  await event.enqueueJobs(tx);
}

/**
 * writeEvent in two parts, for a statement that writes the event with the change it announces (the
 * submit's first): the INSERT, and the notification jobs to enqueue after it in the same transaction.
 */
export function eventInsert(type: EventType, e: { orderId: string; correlationId: string; payload: Prisma.InputJsonObject }) {
  const id = randomUUID();
  const trace = traceHeaders();
  // A plain INSERT (Prisma's create compiles the query and reads the row back, for nothing here).
  const sql = Prisma.sql`
    INSERT INTO outbox (id, type, topic, key, correlation_id, order_id, payload, occurred_at, traceparent, tracestate)
    VALUES (${id}::uuid, ${type}, ${EVENT_TOPICS[type]}, ${e.orderId}, ${e.correlationId}, ${e.orderId}, ${JSON.stringify(e.payload)}::jsonb,
            (${new Date().toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3), ${trace?.traceparent ?? null}, ${trace?.tracestate ?? null})`;
  return { sql, enqueueJobs: (tx: Prisma.TransactionClient) => enqueueNotificationJobs(tx, { eventId: id, type, payload: e.payload }) };
}

export function toEnvelope(row: { id: string; type: string; correlationId: string; orderId: string | null; key: string; occurredAt: Date; payload: unknown }): EventEnvelope {
  return {
    eventId: row.id,
    type: row.type as EventType,
    correlationId: row.correlationId,
    orderId: row.orderId ?? row.key,
    occurredAt: row.occurredAt.toISOString(),
    payload: row.payload as Record<string, unknown>,
  };
}
