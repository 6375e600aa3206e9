import { configOrExit } from "@/server/config";
import { exitCode, run, startStack, startWorkerProcess } from "./lib/services";

// `npm run dev` (next dev) and `npm start` (--production: next build, then WEB_CONCURRENCY app
// processes through scripts/serve.ts; SKIP_NEXT_BUILD=1 serves the last build):
// PostgreSQL, the provider fake, MailDev (unless SMTP_URL is set), WORKER_PROCESSES saga workers
// (default 1) and the app.
const production = process.argv.includes("--production");
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const port = process.env.PORT ?? "3000";
const appUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
// The app's settings are checked before anything starts, as the worker and the app will get them
// (the provider fake is started below unless PROVIDER_FAKE=off, the warehouse fake unless WAREHOUSE_FAKE=off
// or a real warehouse is configured): a bad value stops here, naming the variable.
const warehouseFake = process.env.WAREHOUSE_FAKE !== "off" && !process.env.WAREHOUSE_API_KEY;
configOrExit("npm run dev", { ...process.env, PROVIDER_FAKE: process.env.PROVIDER_FAKE === "off" ? "off" : "on", ...(warehouseFake ? { WAREHOUSE_FAKE: "on" } : {}) });

const stack = await startStack({ dbName: "partial_cancellation", appUrl });
// The worker's metrics for Prometheus (ops/prometheus/prometheus.yml scrapes it there).
const env = { ...stack.env, PORT: port, NEXTAUTH_URL: appUrl, WORKER_METRICS_PORT: process.env.WORKER_METRICS_PORT ?? "9464" };

// SKIP_NEXT_BUILD=1 reuses the last production build, as `npm test` does.
if (production && process.env.SKIP_NEXT_BUILD !== "1") {
  const code = await exitCode(run("next", ["build"], env));
  if (code !== 0) {
    await stack.stop();
    process.exit(code);
  }
}
// Several workers share the jobs as on several machines (per-order queues and the saga lease keep
// one runner per saga); each serves its metrics on the next port.
const workerProcesses = Number(process.env.WORKER_PROCESSES ?? 1);
if (!Number.isInteger(workerProcesses) || workerProcesses < 1 || workerProcesses > 16) throw new Error(`WORKER_PROCESSES must be a whole number from 1 to 16, got ${process.env.WORKER_PROCESSES}`);
const workers = Array.from({ length: workerProcesses }, (_, i) => startWorkerProcess({ ...env, WORKER_METRICS_PORT: String(Number(env.WORKER_METRICS_PORT) + i) }));
const next = production ? run("tsx", ["scripts/serve.ts"], env) : run("next", ["dev", "-p", port], env);
console.log(`Serving on ${appUrl} — sign in as agent@example.com / demo-password (see README).`);
if (stack.mail) console.log(`Customer emails land in the dev inbox: ${stack.mail.webUrl}`);

let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of [next, ...workers]) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all([next, ...workers].map(exitCode));
  await stack.stop();
  process.exit(code);
}
process.on("SIGINT", () => shutdown());
process.on("SIGTERM", () => shutdown());
const code = await Promise.race([next, ...workers].map(exitCode));
await shutdown(code);
