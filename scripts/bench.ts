import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { percentile } from "./lib/bench";
import { runBurst } from "./lib/burst";
import { ensurePgbench, preparePgbench, runPgbench, type PgbenchResult } from "./lib/pgbench";
import { describeFailures, errorCount, findExampleOrderId, probePreview, runPreviewLoad } from "./lib/preview-load";
import { processMemory, type ProcessMemory } from "./lib/process-memory";
import { runSubmitLoad } from "./lib/submit-load";
import { FAKE_DEFAULTS } from "@/server/config/payment-fake-defaults";

/*
 * `npm run bench`: SPEC §9's figures in one table, against a RUNNING production app (`npm start`,
 * its worker and the provider fake): it starts nothing. PostgreSQL's own pgbench runs against
 * the app's database server in the same run, and each figure is printed as a share of it.
 *
 *   --url U[,U2…]         the app, loopback only (BASE_URL, default http://localhost:3000); several
 *                         instances' URLs spread the load over them (scale-out: one vs two)
 *   --database-url D      the app's database (DATABASE_URL); pgbench uses database pc_pgbench beside it
 *   --seconds S           seconds per preview level and per pgbench run (default 15, at most 300)
 *   --users N             submit users (default 50, at most 200), --orders-per-user M (default 4)
 *   --burst N             submits opened at once on N fresh orders, seeded in SQL (default 10000, at most 20000; 0 skips)
 *   --fake-url F          the provider fake that learns the burst orders' tenders (PROVIDER_FAKE_URL, default http://127.0.0.1:4010)
 *   --soak-seconds S      seconds of repeated submit load, the RSS read at its start and end (default 0)
 *   --pgbench-clients C   (default 8), --pgbench-scale K (default 10)
 *   --only LIST           a quick run of some parts: pgbench,preview,submit,burst (default all)
 *
 * Exit code 1 when any request failed, a refund differed from its preview or a burst answer was
 * neither 201 nor 429 with Retry-After; the figures themselves are printed, never asserted.
 */

const { values: flags } = parseArgs({
  options: {
    url: { type: "string" },
    "database-url": { type: "string" },
    seconds: { type: "string", default: "15" },
    users: { type: "string", default: "50" },
    "orders-per-user": { type: "string", default: "4" },
    burst: { type: "string", default: "10000" },
    "soak-seconds": { type: "string", default: "0" },
    "fake-url": { type: "string" },
    "pgbench-clients": { type: "string", default: "8" },
    "pgbench-scale": { type: "string", default: "10" },
    only: { type: "string", default: "pgbench,preview,submit,burst" },
  },
});

function whole(name: keyof typeof flags, min: number, max: number): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${flags[name]}`);
  return value;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
const bases = (flags.url ?? process.env.BASE_URL ?? "http://localhost:3000").split(",").map((u) => new URL(u.trim()));
for (const b of bases) if (!LOOPBACK.has(b.hostname)) throw new Error(`--url must be loopback addresses, got ${b.hostname}`);
const databaseUrl = flags["database-url"] ?? process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("Set --database-url or DATABASE_URL to the running app's database");
const seconds = whole("seconds", 1, 300);
const users = whole("users", 1, 200);
const perUser = whole("orders-per-user", 1, 100);
const burstCount = whole("burst", 0, 20_000);
const soakS = whole("soak-seconds", 0, 3_600);
const fakeUrl = flags["fake-url"] ?? process.env.PROVIDER_FAKE_URL ?? FAKE_DEFAULTS.url;
const pgClients = whole("pgbench-clients", 1, 64);
const pgScale = whole("pgbench-scale", 1, 100);

const parts = new Set(flags.only!.split(",").map((p) => p.trim()));
for (const p of parts) if (!["pgbench", "preview", "submit", "burst"].includes(p)) throw new Error(`--only knows pgbench, preview, submit and burst, not ${p}`);
const log = (l: string) => console.error(`[bench] ${l}`);
const rows: [string, string, string, string][] = [];
let failed = false;
const pct = (v: number, of: number | undefined) => (of ? `${((100 * v) / of).toFixed(2)} %` : "n/a");
const ms = (v: number) => `${v.toFixed(1)} ms`;

// CPU time the app and the worker spent per request: a figure that a busy machine disturbs far
// less than throughput or latency.
function cpuPer(before: ProcessMemory | null, after: ProcessMemory | null, n: number) {
  const per = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !n ? "n/a" : ((b - a) / n).toFixed(2));
  return { app: per(before?.app.cpuMs, after?.app.cpuMs), worker: per(before?.worker.cpuMs, after?.worker.cpuMs) };
}

const memory: { label: string; m: ProcessMemory | null }[] = [{ label: "start", m: processMemory(databaseUrl) }];

// PostgreSQL's own limit on this server, in this run.
let selectOnly: PgbenchResult | undefined;
let tpcb: PgbenchResult | undefined;
if (!parts.has("pgbench")) {
  log("pgbench skipped (--only): the ratios are n/a");
} else if (ensurePgbench(log)) {
  await preparePgbench(databaseUrl, pgScale, log);
  log(`pgbench -S, ${pgClients} clients, ${seconds} s`);
  selectOnly = await runPgbench(databaseUrl, { selectOnly: true, clients: pgClients, seconds });
  log(`pgbench TPC-B, ${pgClients} clients, ${seconds} s`);
  tpcb = await runPgbench(databaseUrl, { selectOnly: false, clients: pgClients, seconds });
  rows.push([`pgbench -S, ${pgClients} clients (scale ${pgScale})`, `${selectOnly.tps.toFixed(0)} TPS`, `avg ${ms(selectOnly.latencyMs)}`, "(limit for a read)"]);
  rows.push([`pgbench TPC-B, ${pgClients} clients`, `${tpcb.tps.toFixed(0)} TPS`, `avg ${ms(tpcb.latencyMs)}`, "(limit for a small write transaction)"]);
} else {
  log("pgbench is not installed and cannot be installed here: the ratios are n/a");
}

const orderId = await findExampleOrderId(databaseUrl);
for (const b of bases) await probePreview(b, orderId);
for (const connections of parts.has("preview") ? [1, 10, 50] : []) {
  log(`preview, ${connections} connection(s), ${seconds} s`);
  const cpu0 = processMemory(databaseUrl);
  const r = await runPreviewLoad({ base: bases, orderId, connections, durationS: seconds });
  const cpu = cpuPer(cpu0, processMemory(databaseUrl), r.sent);
  const errors = errorCount(r);
  if (errors) failed = true;
  const rate = r.latencies.length / r.elapsedS;
  const p95 = percentile(r.latencies, 95);
  const target = connections === 50 ? ` — target ≥ 5 % and p95 < 50 ms: ${selectOnly && rate >= 0.05 * selectOnly.tps && p95 < 50 ? "met" : "NOT met"}` : "";
  rows.push([
    `preview, ${connections} connection${connections > 1 ? "s" : ""}`,
    `${rate.toFixed(0)} req/s${errors ? ` (${errors} errors: ${describeFailures(r.failures)})` : ""}; app CPU ${cpu.app} ms/req`,
    `p50 ${ms(percentile(r.latencies, 50))}, p95 ${ms(p95)}`,
    `${pct(rate, selectOnly?.tps)} of -S${target}`,
  ]);
}

if (parts.has("submit")) {
  log(`submit, ${users} users × ${perUser}`);
  const cpu0 = processMemory(databaseUrl);
  memory.push({ label: `at the start of the ${users}-user load`, m: cpu0 });
  const submit = await runSubmitLoad({ base: bases, users, perUser, databaseUrl });
  const cpu = cpuPer(cpu0, processMemory(databaseUrl), submit.completed);
  if (submit.problems.length) {
    failed = true;
    for (const p of submit.problems.slice(0, 10)) log(`submit problem: ${p}`);
  }
  const submitRate = submit.completed / submit.elapsedS;
  const acceptP95 = percentile([...submit.accept].sort((a, b) => a - b), 95);
  const completionP95 = percentile([...submit.completion].sort((a, b) => a - b), 95);
  rows.push([
    `submit → completed, ${users} users`,
    `${submitRate.toFixed(1)} cancellations/s${submit.problems.length ? ` (${submit.problems.length} problems)` : ""}; CPU per cancellation (with its import and preview): app ${cpu.app} ms, worker ${cpu.worker} ms`,
    `accept p95 ${ms(acceptP95)}; completed p95 ${ms(completionP95)}`,
    `${pct(submitRate, tpcb?.tps)} of TPC-B — target ≥ 100/s, accept p95 < 100 ms, completed p95 < 250 ms: ${submitRate >= 100 && acceptP95 < 100 && completionP95 < 250 ? "met" : "NOT met"}`,
  ]);
  memory.push({ label: `at the end of the ${users}-user load`, m: processMemory(databaseUrl) });
}

if (soakS > 0) {
  log(`soak: submit load for ${soakS} s`);
  memory.push({ label: `at the start of a ${soakS} s soak`, m: processMemory(databaseUrl) });
  const until = performance.now() + soakS * 1000;
  let rounds = 0;
  while (performance.now() < until) {
    const r = await runSubmitLoad({ base: bases, users, perUser: 1, databaseUrl });
    if (r.problems.length) failed = true;
    rounds++;
  }
  memory.push({ label: `at the end of the ${soakS} s soak (${rounds} rounds of ${users} users)`, m: processMemory(databaseUrl) });
}

if (burstCount > 0 && parts.has("burst")) {
  log(`burst: ${burstCount} submits at once`);
  const b = await runBurst({ base: bases, databaseUrl, fakeUrl, count: burstCount, drainTimeoutS: 600, log });
  const bad = errorCount(b);
  const stuck = [...b.notCompleted.values()].reduce((s, n) => s + n, 0);
  if (bad || stuck || b.lost) failed = true;
  const drainRate = b.completed / b.drainS;
  rows.push([
    `burst, ${b.count} submits at once (?wait=0)`,
    `${b.accepted} × 201, ${b.shed} × 429; ${bad} other${bad ? ` (${describeFailures(b.failures)})` : ""}; ${b.lost} lost`,
    `answered in ${b.answeredS.toFixed(1)} s; drained in ${b.drainS.toFixed(1)} s`,
    `${b.completed} completed${stuck ? `, ${stuck} not (${describeFailures(b.notCompleted)})` : ""}; ${drainRate.toFixed(0)}/s = ${pct(drainRate, tpcb?.tps)} of TPC-B`,
  ]);
  memory.push({ label: "after the burst", m: processMemory(databaseUrl) });
}

for (const { label, m } of memory) {
  rows.push([
    `RSS ${label}`,
    m ? `app ${m.app.rssMb.toFixed(0)} MB (${m.app.pids.length} proc)` : "n/a (no /proc)",
    m ? `worker ${m.worker.rssMb.toFixed(0)} MB (${m.worker.pids.length} proc)` : "",
    "",
  ]);
}

const header: [string, string, string, string] = ["what", "figure", "latency", "share of PostgreSQL's limit"];
console.log(`\nnpm run bench — ${new Date().toISOString()} — ${bases.map((b) => b.origin).join(", ")}\n`);
console.log(`| ${header.join(" | ")} |`);
console.log(`| ${header.map(() => "---").join(" | ")} |`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
process.exitCode = failed ? 1 : 0;
