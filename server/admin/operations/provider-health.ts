import { hostname } from "node:os";
import type { Db } from "@/server/db/client";
import { getCircuitStates } from "@/server/payments/registry";

/**
 * The circuit breakers as THIS process sees them (each app instance and worker
 * keeps its own), and the workers' heartbeats from the database.
 */
export async function getProviderHealth({ db }: { db: Db }) {
  const workers = await db.workerHeartbeat.findMany({ orderBy: { seenAt: "desc" }, take: 20 });
  return {
    process: { host: hostname(), pid: process.pid },
    circuits: Object.entries(getCircuitStates()).map(([provider, state]) => ({ provider, state })),
    workers: workers.map((w) => ({ workerId: w.workerId, startedAt: w.startedAt.toISOString(), seenAt: w.seenAt.toISOString() })),
    checkedAt: new Date().toISOString(),
  };
}
