import { bounded, loopbackBase, percentile } from "./lib/bench";
import { describeFailures, errorCount, findExampleOrderId, probePreview, runPreviewLoad } from "./lib/preview-load";

/*
 * `npm run bench:preview`: load on POST /api/v1/orders/{id}/cancel-partial/preview of a
 * RUNNING app, against SPEC §9's target (preview p95 under 50 ms at 50 concurrent users).
 * `npm run bench` runs the same load at 1, 10 and 50 connections beside pgbench.
 *
 *   BASE_URL      the app, loopback only (default http://localhost:3000)
 *   ORDER_ID      the order to preview; otherwise the seeded WEB-EXAMPLE-A, looked up
 *                 through DATABASE_URL
 *   API_KEY       default dev-agent-key
 *   CONNECTIONS   concurrent requests in flight (default 50, at most 500)
 *   DURATION_S    seconds of load (default 20, at most 300)
 *   MAX_REQUESTS  stop earlier after this many requests (default 1,000,000)
 */

async function main() {
  const base = loopbackBase();
  const connections = bounded("CONNECTIONS", 50, 500);
  const durationS = bounded("DURATION_S", 20, 300);
  const maxRequests = bounded("MAX_REQUESTS", 1_000_000, 10_000_000);
  const orderId = process.env.ORDER_ID ?? (await findExampleOrderId(process.env.DATABASE_URL));
  const probe = await probePreview(base, orderId, process.env.API_KEY);
  console.log(`Preview of order ${orderId}: ${probe.slice(0, 160)}…`);
  console.log(`Load: ${connections} connections for ${durationS} s (at most ${maxRequests} requests) on ${base.origin}`);

  const result = await runPreviewLoad({ base, orderId, connections, durationS, maxRequests, apiKey: process.env.API_KEY });
  const { sent, elapsedS, latencies } = result;
  const errors = errorCount(result);
  const ms = (v: number) => v.toFixed(1);
  console.log(`requests: ${sent} in ${elapsedS.toFixed(1)} s → ${(sent / elapsedS).toFixed(0)} requests/s`);
  console.log(`errors: ${errors}${errors ? ` (${describeFailures(result.failures)})` : ""}`);
  console.log(`latency ms (successful): p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  p99 ${ms(percentile(latencies, 99))}  max ${ms(latencies.at(-1) ?? Number.NaN)}`);
  const p95 = percentile(latencies, 95);
  console.log(`SPEC §9 target p95 < 50 ms: ${p95 < 50 ? "met" : "NOT met"}`);
  process.exitCode = errors > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
