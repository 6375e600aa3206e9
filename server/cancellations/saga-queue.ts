import type { Prisma } from "@/server/generated/prisma/client";
import { startUpPort } from "@/server/start-up-port";

/**
 * How submit and approval hand a cancellation to the saga, in their own transaction, without
 * importing the saga (which imports the cancellation module). The saga implements it
 * (`sagaQueue` in server/saga/wire-saga.ts, which start-up calls).
 */
export interface SagaQueue {
  enqueue(tx: Prisma.TransactionClient, cancellationId: string, orderId: string): Promise<void>;
}

const port = startUpPort<SagaQueue>("saga-queue");

export function setSagaQueue(queue: SagaQueue | undefined): void {
  port.set(queue);
}

export function sagaQueue(): SagaQueue {
  const queue = port.get();
  if (!queue) throw new Error("No saga queue plugged in: the process's start-up must call wireSaga() (server/saga/wire-saga.ts).");
  return queue;
}
