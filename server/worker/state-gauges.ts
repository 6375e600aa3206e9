import { Gauge, type Registry } from "prom-client";
import type { Db } from "@/server/db/client";
import { EXTERNAL_PROVIDERS } from "@/server/payments/port";

/*
 * Gauges of what is waiting in PostgreSQL (cancellations by status, jobs, the outbox, dead letters,
 * manual refunds, the shared circuit breakers), read when Prometheus scrapes. The worker's registry
 * carries them: every worker process reads the same rows, so the rules take max() over instances.
 */

const CANCELLATION_STATUSES = ["pending_approval", "awaiting_warehouse", "rejected", "processing", "completed", "failed", "expired", "withdrawn"] as const;
const BREAKER_STATES = ["closed", "half_open", "open"] as const;

export interface StateSnapshot {
  cancellations: Record<string, number>;
  jobs: { task: string; state: "waiting" | "scheduled" | "running"; n: number }[];
  outboxUnpublished: number;
  outboxOldestAgeSeconds: number;
  outboxParked: number;
  deadLettersOpen: number;
  manualTasksOpen: number;
  manualTaskOldestAgeSeconds: number;
  breakers: Record<string, string>;
}

const ageSeconds = (d: Date | null | undefined, now: number) => (d ? Math.max(0, (now - d.getTime()) / 1000) : 0);

export async function readStateSnapshot(db: Db): Promise<StateSnapshot> {
  const now = Date.now();
  const [statuses, jobs, outbox, oldest, parked, deadLetters, tasks, circuits] = await Promise.all([
    db.cancellation.groupBy({ by: ["status"], _count: { _all: true } }),
    db.$queryRaw<{ task: string; state: "waiting" | "scheduled" | "running"; n: bigint }[]>`
      SELECT task_identifier AS task,
             CASE WHEN locked_at IS NOT NULL THEN 'running' WHEN run_at > now() THEN 'scheduled' ELSE 'waiting' END AS state,
             count(*) AS n
        FROM graphile_worker.jobs
       WHERE attempts < max_attempts
       GROUP BY 1, 2`,
    db.outboxEvent.count({ where: { publishedAt: null, parkedAt: null } }),
    db.outboxEvent.findFirst({ where: { publishedAt: null, parkedAt: null }, orderBy: { occurredAt: "asc" }, select: { occurredAt: true } }),
    db.outboxEvent.count({ where: { publishedAt: null, parkedAt: { not: null } } }),
    db.deadLetter.count({ where: { resolvedAt: null } }),
    db.manualRefundTask.aggregate({ where: { status: "open" }, _count: { _all: true }, _min: { createdAt: true } }),
    db.providerCircuit.findMany({ select: { provider: true, state: true } }),
  ]);
  return {
    cancellations: Object.fromEntries(statuses.map((s) => [s.status, s._count._all])),
    jobs: jobs.map((j) => ({ task: j.task, state: j.state, n: Number(j.n) })),
    outboxUnpublished: outbox,
    outboxOldestAgeSeconds: ageSeconds(oldest?.occurredAt, now),
    outboxParked: parked,
    deadLettersOpen: deadLetters,
    manualTasksOpen: tasks._count._all,
    manualTaskOldestAgeSeconds: ageSeconds(tasks._min.createdAt, now),
    breakers: Object.fromEntries(circuits.map((c) => [c.provider, c.state.replace("-", "_")])),
  };
}

/**
 * Registers the state gauges on `registry`. One scrape reads the database once: the gauges share
 * a snapshot that lives for `maxAgeMs`.
 */
export function registerStateGauges(registry: Registry, db: Db, opts: { maxAgeMs?: number } = {}): void {
  const maxAgeMs = opts.maxAgeMs ?? 1_000;
  let cached: { at: number; snapshot: Promise<StateSnapshot> } | null = null;
  const snapshot = () => {
    if (!cached || Date.now() - cached.at > maxAgeMs) {
      const pending = readStateSnapshot(db);
      cached = { at: Date.now(), snapshot: pending };
      pending.catch(() => (cached = null));
    }
    return cached.snapshot;
  };
  const on = { registers: [registry], aggregator: "max" as const };

  new Gauge({
    ...on,
    name: "pc_cancellations",
    help: "Cancellations stored, by status.",
    labelNames: ["status"],
    async collect() {
      const s = await snapshot();
      for (const status of CANCELLATION_STATUSES) this.set({ status }, s.cancellations[status] ?? 0);
    },
  });
  new Gauge({
    ...on,
    name: "pc_jobs",
    help: "Background jobs (graphile-worker) not yet given up, by task and state (waiting: due, scheduled: later, running: locked by a worker).",
    labelNames: ["task", "state"],
    async collect() {
      const s = await snapshot();
      this.reset();
      for (const j of s.jobs) this.set({ task: j.task, state: j.state }, j.n);
    },
  });
  new Gauge({
    ...on,
    name: "pc_outbox_unpublished_events",
    help: "Outbox events not yet published to the broker (parked ones excluded): the relay's backlog.",
    async collect() {
      this.set((await snapshot()).outboxUnpublished);
    },
  });
  new Gauge({
    ...on,
    name: "pc_outbox_lag_seconds",
    help: "Age of the oldest unpublished outbox event (0 when none waits).",
    async collect() {
      this.set((await snapshot()).outboxOldestAgeSeconds);
    },
  });
  new Gauge({
    ...on,
    name: "pc_outbox_parked_events",
    help: "Outbox events the broker refused too often, parked for an admin.",
    async collect() {
      this.set((await snapshot()).outboxParked);
    },
  });
  new Gauge({
    ...on,
    name: "pc_dead_letters_open",
    help: "Jobs that ran out of attempts and wait for an admin (Operations → Dead letters).",
    async collect() {
      this.set((await snapshot()).deadLettersOpen);
    },
  });
  new Gauge({
    ...on,
    name: "pc_manual_refund_tasks_open",
    help: "Manual refund tasks waiting for an admin.",
    async collect() {
      this.set((await snapshot()).manualTasksOpen);
    },
  });
  new Gauge({
    ...on,
    name: "pc_manual_refund_task_oldest_open_age_seconds",
    help: "Age of the oldest open manual refund task (0 when none is open).",
    async collect() {
      this.set((await snapshot()).manualTaskOldestAgeSeconds);
    },
  });
  new Gauge({
    ...on,
    name: "pc_circuit_breaker_state",
    help: "Each payment provider's shared circuit breaker: 1 for the state it is in, 0 for the others.",
    labelNames: ["provider", "state"],
    async collect() {
      const s = await snapshot();
      for (const provider of EXTERNAL_PROVIDERS) {
        const current = s.breakers[provider] ?? "closed";
        for (const state of BREAKER_STATES) this.set({ provider, state }, state === current ? 1 : 0);
      }
    },
  });
}
