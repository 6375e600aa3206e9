import { context, propagation, ROOT_CONTEXT } from "@opentelemetry/api";

/*
 * The fakes answer in the trace of the request that caused the answer, as a traced provider or
 * warehouse would: a callback or message carries the request's traceparent/tracestate.
 */

/** The W3C trace context a request came with. */
export function traceOf(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const trace: Record<string, string> = {};
  for (const name of ["traceparent", "tracestate"]) {
    const value = headers[name];
    if (typeof value === "string") trace[name] = value;
  }
  return trace;
}

/**
 * Runs `fn` (a callback's delivery) in the carried context: in a process that traces (a fake
 * started inside a test), fetch's instrumentation then sends a traceparent of that trace instead
 * of one of a new trace.
 */
export function inTrace<T>(trace: Record<string, string>, fn: () => T): T {
  return context.with(propagation.extract(ROOT_CONTEXT, trace), fn);
}

/**
 * The headers a callback sent with fetch inside `inTrace` adds for the trace: the carried ones, or
 * none in a process that traces itself (an OpenTelemetry SDK registered, as tracing.ts registers
 * it with fetch's instrumentation): that instrumentation adds a traceparent of this trace, and a
 * second traceparent header would make the receiver discard both.
 */
export function callbackTraceHeaders(trace: Record<string, string>): Record<string, string> {
  const probe: Record<string, string> = {};
  propagation.inject(propagation.extract(ROOT_CONTEXT, trace), probe);
  return probe.traceparent ? {} : trace;
}
