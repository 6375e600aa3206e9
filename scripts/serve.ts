import cluster from "node:cluster";
import http from "node:http";
import { availableParallelism } from "node:os";
import { configOrExit } from "@/server/config";
import { PEER_ADDRESS_HEADER } from "@/server/auth/client-address";

/*
 * The production server of `npm start`: WEB_CONCURRENCY Next.js processes (default: one per
 * core) sharing one port through Node's cluster module, each a custom Next server
 * (next({ dev: false })) with its own database pool, caches and LISTEN connection. The primary
 * only hands out connections and restarts a process that dies.
 *
 *   PORT              default 3000
 *   HOSTNAME          default all interfaces, as `next start`
 *   WEB_CONCURRENCY   app processes (default: the cores available, at least 1, at most 64)
 */
Object.assign(process.env, { NODE_ENV: "production" });
// The app's settings are checked once, before any process starts: a bad value stops here, naming the variable.
configOrExit("The app");
const port = Number(process.env.PORT ?? 3000);
const processes = Number(process.env.WEB_CONCURRENCY ?? availableParallelism());
if (!Number.isInteger(processes) || processes < 1 || processes > 64) throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64, got ${process.env.WEB_CONCURRENCY}`);

async function serve() {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), port, hostname: process.env.HOSTNAME ?? "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  // The TCP peer, for server/auth/client-address.ts; whatever a client sent under this name is replaced.
  const server = http.createServer((req, res) => {
    req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, process.env.HOSTNAME, resolve));
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return server;
}

if (cluster.isPrimary && processes > 1) {
  let stopping = false;
  let ready = 0;
  for (let i = 0; i < processes; i++) cluster.fork();
  cluster.on("listening", () => {
    if (++ready === processes) console.log(`✓ Ready: ${processes} app processes on port ${port} (WEB_CONCURRENCY)`);
  });
  cluster.on("exit", (w, code, signal) => {
    if (stopping) return;
    console.error(`app process ${w.process.pid} ended (${signal ?? code}); starting another`);
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
  await serve();
  if (cluster.isPrimary) console.log(`✓ Ready: 1 app process on port ${port}`);
}
