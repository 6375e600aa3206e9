import cluster, { type Worker } from "node:cluster";
import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from "prom-client";
import { metrics } from "./metrics";

/*
 * Serving the metrics. Under `npm start` the app is a Node cluster (scripts/serve.ts): a scrape
 * lands on any one process, which asks the primary; the primary collects every process's registry
 * over IPC and sums them with prom-client's AggregatorRegistry (histograms and counters add up;
 * the few gauges that must not be summed say so with `aggregator`). One scrape, the whole app.
 */

export const CLUSTER_METRICS_ENV = "PC_CLUSTER_METRICS";
const ASK = "pc:metrics:ask";
const COLLECT = "pc:metrics:collect";
const PART = "pc:metrics:part";
const ANSWER = "pc:metrics:answer";
const COLLECT_TIMEOUT_MS = 5_000;

type Json = MetricObjectWithValues<MetricValue<string>>[];
type Message = { type?: string; id?: number; text?: string; error?: string; json?: Json };

/** `Authorization: Bearer <token>` when a token is set; anyone otherwise. */
export function scrapeAllowed(authorization: string | null | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(authorization ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

let nextId = 0;
const waiting = new Map<number, { resolve(text: string): void; reject(e: Error): void }>();

/** The text exposition of this process, or of the whole cluster when this is one of its processes. */
export async function metricsText(registry: Registry = metrics().registry): Promise<string> {
  if (!(cluster.isWorker && process.env[CLUSTER_METRICS_ENV] === "1" && process.send)) return registry.metrics();
  answerCollects();
  const id = ++nextId;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error("the cluster primary did not answer the metrics request"));
    }, COLLECT_TIMEOUT_MS + 1_000);
    waiting.set(id, {
      resolve: (text) => (clearTimeout(timer), resolve(text)),
      reject: (e) => (clearTimeout(timer), reject(e)),
    });
    process.send!({ type: ASK, id });
  });
}

const flags = globalThis as unknown as { __pcMetricsIpc?: boolean };

/** In a cluster process: hand this process's metrics to the primary when it collects, and take answers. */
export function answerCollects(registry: Registry = metrics().registry): void {
  if (!cluster.isWorker || flags.__pcMetricsIpc) return;
  flags.__pcMetricsIpc = true;
  process.on("message", (m: Message) => {
    if (m?.type === COLLECT) {
      void registry.getMetricsAsJSON().then(
        (json) => process.send?.({ type: PART, id: m.id, json }),
        (error: Error) => process.send?.({ type: PART, id: m.id, error: error.message }),
      );
    } else if (m?.type === ANSWER && m.id !== undefined) {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.text ?? "");
    }
  });
}

/** In the cluster's primary: answers each process's ASK with every live process's metrics, summed. */
export function serveClusterMetrics(): void {
  let nextCollect = 0;
  const parts = new Map<number, { json: Json[]; expected: number; done(): void }>();
  cluster.on("message", (worker: Worker, m: Message) => {
    if (m?.type === PART && m.id !== undefined) {
      const p = parts.get(m.id);
      if (!p) return;
      if (m.json) p.json.push(m.json);
      else p.expected--;
      if (p.json.length >= p.expected) p.done();
      return;
    }
    if (m?.type !== ASK) return;
    const id = ++nextCollect;
    const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && w.isConnected());
    const reply = (text: string | undefined, error?: string) => worker.isConnected() && worker.send({ type: ANSWER, id: m.id, text, error });
    const p = {
      json: [] as Json[],
      expected: live.length,
      done: () => {
        clearTimeout(timer);
        parts.delete(id);
        // A process that did not answer in time is left out of this scrape rather than failing it.
        AggregatorRegistry.aggregate(p.json).metrics().then((text) => reply(text), (e: Error) => reply(undefined, e.message));
      },
    };
    const timer = setTimeout(p.done, COLLECT_TIMEOUT_MS);
    parts.set(id, p);
    for (const w of live) w.send({ type: COLLECT, id });
  });
}

/** The worker's own metrics server: GET /metrics (any other path 404), behind the same token. */
export function startMetricsServer(opts: { port: number; host?: string; token?: string; registry?: Registry }): Promise<http.Server> {
  const registry = opts.registry ?? metrics().registry;
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the metrics are at /metrics\n");
      return;
    }
    if (!scrapeAllowed(req.headers.authorization, opts.token)) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" }).end("Send Authorization: Bearer <METRICS_TOKEN>\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE }).end(text),
      (error: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`metrics could not be collected: ${error.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "0.0.0.0", () => resolve(server));
  });
}
