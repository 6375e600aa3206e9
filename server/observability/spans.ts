import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context } from "@opentelemetry/api";

/*
 * The app's own spans (use-cases, saga steps, provider operations), through the OpenTelemetry API
 * only: without a tracer provider (OTEL_EXPORTER_OTLP_ENDPOINT unset) every call here is a no-op.
 * server/observability/tracing.ts starts the SDK.
 */

const tracer = () => trace.getTracer("partial-cancellation");

/** Runs `fn` in a span named `name`, a child of the active one; an exception marks the span as an error. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>, opts: { kind?: SpanKind; parent?: Context } = {}): Promise<T> {
  return tracer().startActiveSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes }, opts.parent ?? context.active(), async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Adds attributes to the active span (none: nothing). */
export function annotateSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** The active trace as a W3C `traceparent` (with `tracestate` when there is one), for a job payload or event headers; null without one. */
export function traceHeaders(): { traceparent: string; tracestate?: string } | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? (carrier as { traceparent: string; tracestate?: string }) : null;
}

/** The context a job or event carried (its `traceparent`), to continue the trace that enqueued it. */
export function contextFrom(headers: { traceparent?: unknown; tracestate?: unknown } | null | undefined): Context {
  const carrier: Record<string, string> = {};
  if (typeof headers?.traceparent === "string") carrier.traceparent = headers.traceparent;
  if (typeof headers?.tracestate === "string") carrier.tracestate = headers.tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Where a received message, webhook or job says it comes from: AMQP headers, a job payload, or an HTTP request's headers. */
export type TraceCarrier = { traceparent?: unknown; tracestate?: unknown } | Headers | null | undefined;

/**
 * The parent for the span of something received (a RabbitMQ message, a webhook delivery, a job):
 * the trace its W3C `traceparent` names, when it carries a valid one; else the active context (a
 * new trace when there is none). When the active span is already of that trace (the HTTP server
 * span, which continued the request's `traceparent`), it stays the parent.
 */
export function receivedContext(carrier: TraceCarrier): Context {
  const headers = carrier instanceof Headers ? { traceparent: carrier.get("traceparent") ?? undefined, tracestate: carrier.get("tracestate") ?? undefined } : carrier;
  const carried = contextFrom(headers);
  const remote = trace.getSpanContext(carried);
  if (!remote || !isSpanContextValid(remote)) return context.active();
  const active = trace.getActiveSpan()?.spanContext();
  return active && active.traceId === remote.traceId ? context.active() : carried;
}

/** Runs `fn` in a CONSUMER span continuing what `carrier` carries (receivedContext). */
export function withReceivedSpan<T>(name: string, attributes: Attributes, carrier: TraceCarrier, fn: () => Promise<T>): Promise<T> {
  return withSpan(name, attributes, fn, { kind: SpanKind.CONSUMER, parent: receivedContext(carrier) });
}

/** The active span's ids, for log lines. */
export function activeTraceIds(): { traceId: string; spanId: string } | null {
  const span = trace.getActiveSpan();
  if (!span) return null;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return traceFlags === 0 && traceId === "00000000000000000000000000000000" ? null : { traceId, spanId };
}

export { SpanKind };
