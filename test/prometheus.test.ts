import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { prometheusPaths } from "@/scripts/lib/prometheus";
import { reloadConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { metrics } from "@/server/observability/metrics";
import { startMetricsServer } from "@/server/observability/metrics-endpoint";
import { registerStateGauges } from "@/server/worker/state-gauges";
import { apiClient, callRoute } from "./rest";
import { importForTest, type SagaHarness, simpleOrder, startSagaHarness } from "./saga-harness";
import { startPrometheus } from "./support/prometheus";

// ops/prometheus/ checked by Debian's promtool, and a real Prometheus scraping the app's and the
// worker's metrics endpoints (npm test installs the package like Chromium: scripts/lib/prometheus.ts).
const OPS = "ops/prometheus";
const RULE_FILES = [`${OPS}/rules/recording.yml`, `${OPS}/rules/alerts.yml`];

function promtool(...args: string[]) {
  const r = spawnSync(prometheusPaths().promtool, args, { encoding: "utf8" });
  if (r.error) throw new Error(`promtool could not run (${r.error.message}): install Debian's prometheus package`);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("ops/prometheus as code", () => {
  it("promtool check rules accepts the recording and alert rules", () => {
    const r = promtool("check", "rules", ...RULE_FILES);
    expect(r.out).toContain("SUCCESS: 8 rules found");
    expect(r.out).toContain("SUCCESS: 9 rules found");
    expect(r.code).toBe(0);
  });

  it("promtool check config accepts the scrape config (app and worker) with its rule files", () => {
    const r = promtool("check", "config", `${OPS}/prometheus.yml`);
    expect(r.out).toContain("SUCCESS: 2 rule files found");
    expect(r.code).toBe(0);
  });

  it("promtool test rules: each alert fires on the series that should raise it, and not before its `for`", () => {
    const r = promtool("test", "rules", `${OPS}/tests/rules.test.yml`);
    expect(r.out).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });

  it("every metric the rules and the Grafana dashboard name is one the app or the worker exports, every pc: name a recording rule", () => {
    const registry = new Registry();
    registerStateGauges(registry, getDb());
    const exported = new Set([...metrics().registry.getMetricsAsArray(), ...registry.getMetricsAsArray()].map((m) => m.name));
    const rules = RULE_FILES.map((f) => readFileSync(f, "utf8")).join("\n");
    const recorded = new Set([...rules.matchAll(/record: (pc:[\w:]+)/g)].map((m) => m[1]));
    const dashboard = JSON.parse(readFileSync("ops/grafana/pc-kpis.json", "utf8")) as { panels: { targets: { expr: string }[] }[] };
    const exprs = [rules, ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))].join("\n");
    const named = new Set([...exprs.matchAll(/\bpc[_:][\w:]+/g)].map((m) => m[0]));
    expect(named.size).toBeGreaterThan(10);
    for (const name of named) {
      if (name.startsWith("pc:")) expect(recorded, name).toContain(name);
      else expect(exported, name).toContain(name.replace(/_(bucket|count|sum)$/, ""));
    }
    // The dashboard shows each of the seed's KPIs.
    for (const kpi of ["pc:cancellation_submit_duration_seconds:p95_5m", "pc:cancellation_error_ratio:rate5m", "pc:refund_completion_seconds:p95_5m", "pc:inventory_release_duration_seconds:p95_5m"]) {
      expect(dashboard.panels.some((p) => p.targets.some((t) => t.expr === kpi)), kpi).toBe(true);
    }
  });
});

describe("a real Prometheus", () => {
  let h: SagaHarness;
  let app: http.Server;
  let worker: http.Server;
  const token = "prometheus-test-token-0123";

  beforeAll(async () => {
    h = await startSagaHarness();
    process.env.METRICS_TOKEN = token;
    reloadConfig();
    // The app's route handler behind a plain HTTP server, as Next serves it.
    app = http.createServer((req, res) => {
      void metricsRoute(new Request(`http://127.0.0.1${req.url}`, { headers: req.headers as Record<string, string> })).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers)).end(await r.text());
      });
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const registry = new Registry();
    registerStateGauges(registry, getDb());
    worker = await startMetricsServer({ port: 0, host: "127.0.0.1", token, registry });
  });
  afterAll(async () => {
    delete process.env.METRICS_TOKEN;
    reloadConfig();
    app?.close();
    worker?.close();
    await h?.stop();
  });

  it("scrapes the app and the worker with the bearer token, and a preview's counter comes back through its query API", async () => {
    const { key } = await apiClient();
    const { orderId } = await importForTest(simpleOrder(2));
    const preview = await callRoute(previewRoute, { key, params: { orderId }, body: { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" }, path: `/api/v1/orders/${orderId}/cancel-partial/preview` });
    expect(preview.status).toBe(200);
    const address = (s: http.Server) => `127.0.0.1:${(s.address() as { port: number }).port}`;
    const prometheus = await startPrometheus({
      targets: [
        { job: "pc-app", address: address(app), metricsPath: "/api/metrics", token },
        { job: "pc-worker", address: address(worker), metricsPath: "/metrics", token },
      ],
      ruleFiles: RULE_FILES,
    });
    try {
      const [previews] = await prometheus.until('pc_cancellation_previews_total{job="pc-app", outcome="ok"}');
      expect(Number(previews!.value[1])).toBeGreaterThanOrEqual(1);
      const timed = await prometheus.until('pc_http_request_duration_seconds_count{job="pc-app", route="/api/v1/orders/[orderId]/cancel-partial/preview", status="200"}');
      expect(Number(timed[0]!.value[1])).toBeGreaterThanOrEqual(1);
      const breakers = await prometheus.until('pc_circuit_breaker_state{job="pc-worker", state="closed"}');
      expect(breakers.map((b) => b.metric.provider).sort()).toEqual(["adyen", "paypal", "stripe"]);
      const up = await prometheus.until("up");
      expect(up.map((u) => [u.metric.job, u.value[1]]).sort()).toEqual([["pc-app", "1"], ["pc-worker", "1"]]);
      // The repository's rules loaded and evaluate without error against the real series.
      type Rules = { data: { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] } };
      let rules: Rules;
      for (let i = 0; ; i++) {
        rules = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as Rules;
        if (rules.data.groups.every((g) => g.rules.every((r) => r.health !== "unknown")) || i > 100) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(rules.data.groups.map((g) => g.name).sort()).toEqual(["pc-alerts", "pc-kpis"]);
      const unhealthy = rules.data.groups.flatMap((g) => g.rules.filter((r) => r.health !== "ok").map((r) => `${r.name}: ${r.health} ${r.lastError ?? ""}`));
      expect(unhealthy).toEqual([]);
    } finally {
      await prometheus.stop();
    }
  }, 90_000);
});
