import { metrics, secondsSince } from "@/server/observability/metrics";
import { SpanKind, annotateSpan, withSpan } from "@/server/observability/spans";
import type { ExternalProviderName, LookUpResult, PaymentProviderPort } from "./port";

/**
 * A port whose every operation is counted and timed (pc_provider_calls_total,
 * pc_provider_call_duration_seconds, retries included) and runs in a client span, by provider,
 * operation and outcome. An adapter that throws counts as `unknown` and throws on.
 */
export function measuredPort(provider: ExternalProviderName, port: PaymentProviderPort): PaymentProviderPort {
  const measure = async <R extends LookUpResult>(operation: "reversal" | "refund" | "lookup", cancellationId: string, call: () => Promise<R>): Promise<R> => {
    const started = performance.now();
    let outcome = "unknown";
    try {
      return await withSpan(`payment ${provider} ${operation}`, { "pc.provider": provider, "pc.operation": operation, "pc.cancellation_id": cancellationId }, async () => {
        const result = await call();
        outcome = result.status;
        annotateSpan({ "pc.outcome": outcome });
        return result;
      }, { kind: SpanKind.CLIENT });
    } finally {
      const labels = { provider, operation, outcome };
      metrics().providerCalls.inc(labels);
      metrics().providerCallDuration.observe(labels, secondsSince(started));
    }
  };
  return {
    reverse: (tender, amount, tag) => measure("reversal", tag.cancellationId, () => port.reverse(tender, amount, tag)),
    refund: (tender, amount, tag) => measure("refund", tag.cancellationId, () => port.refund(tender, amount, tag)),
    lookUp: (tender, operation, amount, tag) => measure("lookup", tag.cancellationId, () => port.lookUp(tender, operation, amount, tag)),
  };
}
