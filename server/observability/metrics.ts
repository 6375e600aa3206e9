import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/*
 * The process's Prometheus metrics (prom-client): one registry per process, kept on globalThis so
 * that Next's module copies and the start-up scripts share it. The app serves it at /api/metrics
 * (summed over the cluster's processes by scripts/serve.ts), the worker on WORKER_METRICS_PORT.
 * Names follow Prometheus' conventions: `pc_` prefix, the unit in the name, `_total` for counters.
 * The process_* and nodejs_* metrics are prom-client's defaults under their standard names.
 */

/** Request and saga latencies: the seed's targets (2 s, 5 s, 30 s) fall on bucket bounds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
/** Submit → completed: the refund completion target is 30 s. */
const COMPLETION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600];

function createMetrics(registry: Registry) {
  collectDefaultMetrics({ register: registry });
  const on = { registers: [registry] };
  return {
    registry,
    httpRequestDuration: new Histogram({
      ...on,
      name: "pc_http_request_duration_seconds",
      help: "HTTP requests answered by the app, by route template, method and status code.",
      labelNames: ["route", "method", "status"] as const,
      buckets: LATENCY_BUCKETS,
    }),
    previews: new Counter({
      ...on,
      name: "pc_cancellation_previews_total",
      help: "Cancellation previews, by outcome (ok, needs_approval, or the error code in lower case).",
      labelNames: ["outcome"] as const,
    }),
    submits: new Counter({
      ...on,
      name: "pc_cancellation_submits_total",
      help: "Cancellation submits, by outcome (the status answered, replayed, or the error code in lower case).",
      labelNames: ["outcome"] as const,
    }),
    cancellationsFinished: new Histogram({
      ...on,
      name: "pc_cancellation_completion_seconds",
      help: "Time from a cancellation's submit to the end of its saga, by final status (completed, failed) and whether it waited for an approval first.",
      labelNames: ["status", "approval_required"] as const,
      buckets: COMPLETION_BUCKETS,
    }),
    sagaRuns: new Counter({
      ...on,
      name: "pc_saga_runs_total",
      help: "Saga runs by the worker, by outcome (completed, failed, waiting, not_processing, busy, error).",
      labelNames: ["outcome"] as const,
    }),
    sagaStepDuration: new Histogram({
      ...on,
      name: "pc_saga_step_duration_seconds",
      help: "Saga step durations, by step (order_adjustment, payment, inventory_release, completion) and outcome (succeeded, waiting, failed).",
      labelNames: ["step", "outcome"] as const,
      buckets: LATENCY_BUCKETS,
    }),
    providerCalls: new Counter({
      ...on,
      name: "pc_provider_calls_total",
      help: "Payment provider operations, by provider, operation (reversal, refund, lookup) and outcome (succeeded, declined, unknown; absent for a lookup that found nothing).",
      labelNames: ["provider", "operation", "outcome"] as const,
    }),
    providerCallDuration: new Histogram({
      ...on,
      name: "pc_provider_call_duration_seconds",
      help: "Payment provider operation latency including retries, by provider, operation and outcome.",
      labelNames: ["provider", "operation", "outcome"] as const,
      buckets: LATENCY_BUCKETS,
    }),
    notificationSends: new Counter({
      ...on,
      name: "pc_notification_sends_total",
      help: "Customer email notifications handled, by outcome (sent, retrying, failed, skipped, not_for_customers).",
      labelNames: ["outcome"] as const,
    }),
    outboxPublished: new Counter({
      ...on,
      name: "pc_outbox_events_published_total",
      help: "Outbox events the relay published to the broker.",
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const holder = globalThis as unknown as { __pcMetrics?: Metrics };

/** This process's metrics, created on first use. */
export function metrics(): Metrics {
  holder.__pcMetrics ??= createMetrics(new Registry());
  return holder.__pcMetrics;
}

/** A fresh, unshared set of metrics, for tests that assert exact counts. */
export function createMetricsForTest(): Metrics {
  return createMetrics(new Registry());
}

/** An error's code for an `outcome` label: the error model's code in lower case, else "error". */
export function outcomeOfError(error: unknown): string {
  if ((error as Error)?.name === "ZodError") return "validation_failed";
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{1,60}$/.test(code) ? code.toLowerCase() : "error";
}

/** Seconds since `startedAt` (a `performance.now()` reading). */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}

export { Gauge };
