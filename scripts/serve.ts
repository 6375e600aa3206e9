import cluster from "node:cluster";
import http from "node:http";
import { availableParallelism } from "node:os";
import { configOrExit } from "@/server/config";
import { PEER_ADDRESS_HEADER } from "@/server/auth/client-address";
import { admitRequests } from "@/server/http/request-admission";
import { logger } from "@/server/observability/logger";
import { answerCollects, CLUSTER_METRICS_ENV, serveClusterMetrics } from "@/server/observability/metrics-endpoint";

/*
 * The production server of `npm start`: WEB_CONCURRENCY Next.js processes (default: one per
 * core) sharing one port through Node's cluster module, each a custom Next server
 * (next({ dev: false })) with its own database pool, caches and LISTEN connection. The primary
 * only hands out connections and restarts a process that dies.
 *
 *   PORT              default 3000
 *   HOSTNAME          default all interfaces, as `next start`
 *   WEB_CONCURRENCY   app processes (default: the cores available, at least 1, at most 64)
 *   WEB_DIRECT_ROUTES off: the hot REST calls by API key (preview, import, submit, order, status) go
 *                     through Next's router too (default: straight to their route handlers,
 *                     scripts/lib/direct-routes.ts)
 *   WEB_MAX_IN_FLIGHT, WEB_MAX_QUEUED, WEB_MAX_QUEUE_MS
 *                     per process: requests inside Next at once (64), waiting for a turn (256), and
 *                     for how long (2,000 ms); beyond them 429 with Retry-After (server/http/request-admission.ts)
 *
 * /api/metrics answers for the whole cluster: the process a scrape lands on asks the primary, which
 * sums every process's registry (server/observability/metrics-endpoint.ts).
 */
Object.assign(process.env, { NODE_ENV: "production" });
// The app's settings are checked once, before any process starts: a bad value stops here, naming the variable.
const { requestAdmission } = configOrExit("The app");
const port = Number(process.env.PORT ?? 3000);
const KEEP_ALIVE_MS = 65_000;
const processes = Number(process.env.WEB_CONCURRENCY ?? availableParallelism());
if (!Number.isInteger(processes) || processes < 1 || processes > 64) throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64, got ${process.env.WEB_CONCURRENCY}`);

async function serve() {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), port, hostname: process.env.HOSTNAME ?? "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  // The hot REST calls by API key go straight to their route handlers (scripts/lib/direct-routes.ts); WEB_DIRECT_ROUTES=off sends everything through Next.
  // Imported here, as Next's modules are, once NODE_ENV is set (the route's modules read the configuration).
  const direct = process.env.WEB_DIRECT_ROUTES === "off" ? () => false : await (await import("./lib/direct-routes")).directRoutes();
  const admitted = admitRequests((req, res) => direct(req, res) || void handle(req, res), requestAdmission);
  // The TCP peer, for server/auth/client-address.ts; whatever a client sent under this name is replaced.
  const server = http.createServer((req, res) => {
    req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
    admitted(req, res);
  });
  // Idle keep-alive sockets outlive a load balancer's (60 s on most): a client that reuses a socket the server
  // has just closed gets a connection reset, not an answer (Node closes after 5 s by default).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await new Promise<void>((resolve) => server.listen(port, process.env.HOSTNAME, resolve));
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return server;
}

if (cluster.isPrimary && processes > 1) {
  process.env[CLUSTER_METRICS_ENV] = "1";
  serveClusterMetrics();
  let stopping = false;
  let ready = 0;
  for (let i = 0; i < processes; i++) cluster.fork();
  cluster.on("listening", () => {
    if (++ready === processes) console.log(`✓ Ready: ${processes} app processes on port ${port} (WEB_CONCURRENCY)`);
  });
  cluster.on("exit", (w, code, signal) => {
    if (stopping) return;
    logger().error({ appPid: w.process.pid, code, signal }, "app process ended; starting another");
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
    if (!alive.length) process.exit(0);
    let left = alive.length;
    for (const w of alive) {
      w!.once("exit", () => --left === 0 && process.exit(0));
      w!.process.kill("SIGTERM");
    }
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  // Each process answers the primary's collection even before its first request.
  answerCollects();
  await serve();
  if (cluster.isPrimary) console.log(`✓ Ready: 1 app process on port ${port}`);
}
