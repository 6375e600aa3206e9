import amqp from "amqplib";
import { getConfig } from "@/server/config";
import type { Db } from "@/server/db/client";
import { listMigrations } from "@/server/db/migrate";

/*
 * Readiness for a load balancer (/api/health/ready): may this instance take traffic? Each check
 * is bounded in time, so a hung dependency answers "not ready" instead of hanging the probe.
 * Liveness (/api/health/live) asks nothing of anything: the process answers, so it is alive.
 */

export interface Check {
  ok: boolean;
  /** Why not, or what was seen. */
  detail?: string;
}

export interface Readiness {
  status: "ready" | "not_ready";
  checks: { database: Check; migrations: Check; worker: Check; broker: Check & { skipped?: true } };
}

const CHECK_TIMEOUT_MS = 2_000;

async function bounded<T>(what: string, work: Promise<T>, ms = CHECK_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const failed = (error: unknown): Check => ({ ok: false, detail: (error as Error).message.split("\n")[0]!.slice(0, 200) });

async function database(db: Db): Promise<Check> {
  try {
    await bounded("the database", db.$queryRaw`SELECT 1`);
    return { ok: true };
  } catch (error) {
    return failed(error);
  }
}

async function migrations(db: Db, dir?: string): Promise<Check> {
  try {
    const [known, applied] = await Promise.all([
      listMigrations(dir),
      bounded("the database", db.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`),
    ]);
    const done = new Set(applied.map((m) => m.migration_name));
    const pending = known.filter((m) => !done.has(m.name)).map((m) => m.name);
    return pending.length ? { ok: false, detail: `not applied: ${pending.join(", ")} (run npm run db:migrate)` } : { ok: true, detail: `${known.length} applied` };
  } catch (error) {
    return failed(error);
  }
}

async function worker(db: Db, staleMs: number): Promise<Check> {
  try {
    // seen_at is written with the worker's clock (server/worker/worker.ts), so it is read against ours.
    const latest = await bounded("the database", db.workerHeartbeat.aggregate({ _max: { seenAt: true } }));
    const age = latest._max.seenAt ? Date.now() - latest._max.seenAt.getTime() : null;
    if (age === null || age === undefined) return { ok: false, detail: "no worker has reported (is the worker running? npm run dev starts one)" };
    const seconds = Math.max(0, Math.round(age / 1000));
    return age <= staleMs ? { ok: true, detail: `last heartbeat ${seconds} s ago` } : { ok: false, detail: `last heartbeat ${seconds} s ago (over ${staleMs / 1000} s)` };
  } catch (error) {
    return failed(error);
  }
}

async function broker(url: string | null): Promise<Readiness["checks"]["broker"]> {
  if (url === null) return { ok: true, skipped: true, detail: "EVENTS_AMQP_URL=off" };
  let connection: amqp.ChannelModel | undefined;
  try {
    const connecting = amqp.connect(url, { timeout: CHECK_TIMEOUT_MS });
    // A connection that opens after the deadline is closed, not leaked.
    connecting.then((c) => (connection ? undefined : c.close().catch(() => {})), () => {});
    connection = await bounded("RabbitMQ", connecting);
    return { ok: true };
  } catch (error) {
    return failed(error);
  } finally {
    await connection?.close().catch(() => {});
  }
}

/** `migrationsDir`: prisma/migrations by default. */
export async function checkReadiness(db: Db, opts: { migrationsDir?: string } = {}): Promise<Readiness> {
  const config = getConfig();
  const [d, m, w, b] = await Promise.all([database(db), migrations(db, opts.migrationsDir), worker(db, config.observability.readyWorkerStaleMs), broker(config.events.amqpUrl)]);
  const checks = { database: d, migrations: m, worker: w, broker: b };
  return { status: Object.values(checks).every((c) => c.ok) ? "ready" : "not_ready", checks };
}

/**
 * What an unauthenticated caller sees: each check's ok, no details. Error texts carry host names,
 * ports and migration names; those go to the log and to callers holding METRICS_TOKEN's bearer.
 */
export function publicReadiness(readiness: Readiness): Readiness {
  const bare = (c: Check & { skipped?: true }) => (c.skipped ? { ok: c.ok, skipped: c.skipped } : { ok: c.ok });
  const { database, migrations, worker, broker } = readiness.checks;
  return { status: readiness.status, checks: { database: bare(database), migrations: bare(migrations), worker: bare(worker), broker: bare(broker) } };
}

let inFlight: Promise<Readiness> | undefined;

/** Callers that ask while a check runs share its answer: a flood of probes opens one set of connections at a time. */
export function checkReadinessShared(db: Db): Promise<Readiness> {
  inFlight ??= checkReadiness(db).finally(() => (inFlight = undefined));
  return inFlight;
}
