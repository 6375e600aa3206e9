import type { Db } from "@/server/db/client";
import { ALL_CIRCUITS, readCircuits } from "@/server/payments/registry";

/**
 * The circuit breakers of the payment providers and of the warehouse as every worker sees and
 * uses them (their state is shared in PostgreSQL), and the workers' heartbeats.
 */
export async function getProviderHealth({ db }: { db: Db }) {
  const [circuits, workers] = await Promise.all([readCircuits(db, ALL_CIRCUITS), db.workerHeartbeat.findMany({ orderBy: { seenAt: "desc" }, take: 20 })]);
  return {
    circuits: circuits.map((c) => ({
      provider: c.provider,
      state: c.state,
      failures: c.failures,
      openedAt: c.openedAt?.toISOString() ?? null,
      lastFailure: c.lastFailure,
      updatedAt: c.updatedAt.toISOString(),
    })),
    workers: workers.map((w) => ({ workerId: w.workerId, startedAt: w.startedAt.toISOString(), seenAt: w.seenAt.toISOString() })),
    checkedAt: new Date().toISOString(),
  };
}
