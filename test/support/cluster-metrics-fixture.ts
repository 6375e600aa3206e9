import cluster from "node:cluster";
import { metrics } from "@/server/observability/metrics";
import { answerCollects, CLUSTER_METRICS_ENV, metricsText, serveClusterMetrics } from "@/server/observability/metrics-endpoint";

// For metrics.test.ts: a primary and three processes as scripts/serve.ts runs them. Process n
// counts n requests; then process 1 is scraped and prints what it answered.
const PROCESSES = 3;

if (cluster.isPrimary) {
  process.env[CLUSTER_METRICS_ENV] = "1";
  serveClusterMetrics();
  const workers = Array.from({ length: PROCESSES }, (_, i) => cluster.fork({ FIXTURE_N: String(i + 1) }));
  let ready = 0;
  for (const w of workers) {
    w.on("message", (m: { type?: string }) => {
      if (m?.type === "fixture:ready" && ++ready === PROCESSES) workers[0]!.send({ type: "fixture:scrape" });
      if (m?.type === "fixture:done") {
        for (const x of workers) x.kill();
        process.exit(0);
      }
    });
  }
} else {
  answerCollects();
  const n = Number(process.env.FIXTURE_N);
  for (let i = 0; i < n; i++) metrics().httpRequestDuration.observe({ route: "/fixture", method: "GET", status: "200" }, 0.01);
  process.on("message", (m: { type?: string }) => {
    if (m?.type !== "fixture:scrape") return;
    void metricsText().then((text) => {
      process.stdout.write(text, () => process.send!({ type: "fixture:done" }));
    });
  });
  process.send!({ type: "fixture:ready" });
}
