import { configOrExit } from "@/server/config";
import { startTracing } from "@/server/observability/tracing";

// The saga's worker process (graphile-worker on the app's PostgreSQL). A bad setting stops it here.
process.env.PC_SERVICE_NAME ??= "pc-worker";
const config = configOrExit("Worker");
// Spans to OTEL_EXPORTER_OTLP_ENDPOINT when set; each saga continues the trace of its submit.
// Started before anything else is loaded: OpenTelemetry patches pg, http and undici as they load
// (as ES modules here, through its loader hook), so the rest of the worker is imported after it.
const tracing = await startTracing("pc-worker", { esm: true });
const { runWorker } = await import("./lib/worker-process");
await runWorker(config, tracing);
