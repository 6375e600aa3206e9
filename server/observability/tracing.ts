import { register } from "node:module";
import { getConfig } from "@/server/config";

/*
 * OpenTelemetry for a process (the app's instrumentation.ts, the worker's entry): exports spans
 * with OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (…/v1/traces) when it is set, and is off
 * otherwise. Besides the app's own spans (spans.ts) it records incoming and outgoing HTTP (the
 * providers' SDKs), fetch (undici) and every SQL statement (pg), and propagates W3C traceparent.
 */

export interface Tracing {
  shutdown(): Promise<void>;
}

const holder = globalThis as unknown as { __pcTracing?: Tracing | null };

/**
 * Starts the SDK once per process. Modules are patched as they load, so call it before pg, http
 * and the providers' SDKs are imported. `esm`: the process imports them as ES modules (the worker
 * under tsx), which only a loader hook sees: import-in-the-middle's, told to wrap just the
 * modules the instrumentations name.
 */
export async function startTracing(serviceName: string, opts: { esm?: boolean } = {}): Promise<Tracing | null> {
  if (holder.__pcTracing !== undefined) return holder.__pcTracing;
  const endpoint = getConfig().observability.otlpEndpoint;
  if (!endpoint) return (holder.__pcTracing = null);
  // Loaded only when tracing is on: the SDK and its exporters take seconds to import, which every
  // process (each worker a test spawns) would otherwise pay for nothing.
  const [{ OTLPTraceExporter }, { HttpInstrumentation }, { PgInstrumentation }, { UndiciInstrumentation }, { NodeSDK }, { createAddHookMessageChannel }] = await Promise.all([
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/instrumentation-http"),
    import("@opentelemetry/instrumentation-pg"),
    import("@opentelemetry/instrumentation-undici"),
    import("@opentelemetry/sdk-node"),
    import("import-in-the-middle"),
  ]);
  const hook = opts.esm ? createAddHookMessageChannel() : null;
  if (hook) register("import-in-the-middle/hook.mjs", import.meta.url, hook.registerOptions);
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, "")}/v1/traces` }),
    instrumentations: [
      // The exporter's own requests are not traced (they would trace themselves forever).
      new HttpInstrumentation({ ignoreOutgoingRequestHook: (req) => String(req.path ?? "").endsWith("/v1/traces") }),
      new UndiciInstrumentation(),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  await hook?.waitForAllMessagesAcknowledged();
  holder.__pcTracing = { shutdown: () => sdk.shutdown() };
  return holder.__pcTracing;
}
