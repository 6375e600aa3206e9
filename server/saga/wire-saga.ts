import { type SagaQueue, setSagaQueue } from "@/server/cancellations/saga-queue";
import { enqueueSaga } from "@/server/jobs/queue";

/** The saga's side of the cancellation module's port (server/cancellations/saga-queue.ts). */
export const sagaQueue: SagaQueue = { enqueue: enqueueSaga };

/** Start-up (instrumentation.ts, test/setup-env.ts): the cancellation use-cases enqueue through the saga's queue. */
export function wireSaga(): void {
  setSagaQueue(sagaQueue);
}
