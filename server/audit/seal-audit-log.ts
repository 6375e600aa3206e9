import { type Db, listenerFor } from "@/server/db/client";
import { logger } from "@/server/observability/logger";

/**
 * Chains committed audit entries (the database's seal_audit_log: one sealer at a time under an
 * advisory lock, entries in id order, each given the next chain_seq). Returns how many it
 * sealed, or -1 when another sealer was at work.
 */
export async function sealAuditLog(db: Db, batchSize = 1000): Promise<number> {
  const [row] = await db.$queryRaw<{ sealed: number }[]>`SELECT seal_audit_log(${batchSize}::int) AS sealed`;
  return Number(row!.sealed);
}

/** Seals until nothing is left (or another sealer holds the lock): what verification does first. */
export async function sealAll(db: Db): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    const sealed = await sealAuditLog(db);
    if (sealed < 1000) return;
  }
}

/**
 * The sealer of a worker process: woken by append_audit_log's NOTIFY (sent at the appending
 * transaction's commit) and every `intervalMs` in case a notification was missed. Several
 * processes may run one; the advisory lock lets one seal at a time and the rest skip. The
 * notifications of `coalesceMs` are answered by one seal: under load every commit that appends
 * notifies, and a seal per notification was two statements per cancellation.
 */
export function startAuditSealer(db: Db, opts: { intervalMs?: number; coalesceMs?: number; log?: (l: string) => void } = {}) {
  const log = opts.log ?? ((l: string) => logger().error(l));
  const coalesceMs = opts.coalesceMs ?? 50;
  let wake: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const seal = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          while (!stopped && (await sealAuditLog(db)) >= 1000);
        } catch (error) {
          log(`audit sealer: ${(error as Error).message}`);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const off = listenerFor(db)?.on("audit_appended", () => {
    wake ??= setTimeout(() => {
      wake = null;
      seal();
    }, coalesceMs);
  });
  const timer = setInterval(seal, opts.intervalMs ?? 1_000);
  seal();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (wake) clearTimeout(wake);
      off?.();
      await running;
    },
  };
}
