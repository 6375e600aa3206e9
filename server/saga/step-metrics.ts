import { metrics, secondsSince } from "@/server/observability/metrics";
import { withSpan } from "@/server/observability/spans";

export type SagaStepName = "order_adjustment" | "payment" | "inventory_release" | "completion";

/**
 * Runs one saga step in a span and times it into pc_saga_step_duration_seconds: `succeeded`, or
 * `failed` when it throws (after its own retries), or what `outcomeOf` says of its result.
 */
export async function timedStep<T>(step: SagaStepName, cancellationId: string, fn: () => Promise<T>, outcomeOf: (result: T) => "succeeded" | "waiting" = () => "succeeded"): Promise<T> {
  const started = performance.now();
  let outcome: "succeeded" | "waiting" | "failed" = "failed";
  try {
    const result = await withSpan(`saga ${step}`, { "pc.saga.step": step, "pc.cancellation_id": cancellationId }, fn);
    outcome = outcomeOf(result);
    return result;
  } finally {
    metrics().sagaStepDuration.observe({ step, outcome }, secondsSince(started));
  }
}
