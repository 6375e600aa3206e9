import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { AGENT, BENCH_REQUEST, importFreshOrder } from "./submit-load";

export interface BurstResult {
  count: number;
  accepted: number;
  shed: number;
  /** Answers other than 201 and 429-with-Retry-After, timeouts and network errors. */
  failures: Map<string, number>;
  /** From opening the burst to its last answer. */
  answeredS: number;
  /** From opening the burst to the last accepted saga's completion (server clock). */
  drainS: number;
  completed: number;
  notCompleted: Map<string, number>;
  /** Cancellations on the burst's orders that were not answered 201, or 201s without one. */
  lost: number;
}

async function mapLimit<T>(items: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(items);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items) }, async () => {
      while (next < items) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

/**
 * SPEC §9's burst: `count` fresh orders are imported first (not measured), then one submit per
 * order is opened at once with `?wait=0`. Every answer must be a 201 or a 429 with Retry-After;
 * every accepted saga must then complete (followed in the database, bounded by `drainTimeoutS`).
 */
export async function runBurst(opts: { base: URL | URL[]; databaseUrl: string; count: number; drainTimeoutS: number; log: (l: string) => void }): Promise<BurstResult> {
  const { count, log } = opts;
  // Several app instances: the submits are spread over them round robin.
  const bases = Array.isArray(opts.base) ? opts.base : [opts.base];
  const baseFor = (i: number) => bases[i % bases.length]!;
  const t0 = performance.now();
  const orderIds = await mapLimit(count, 32, (i) => importFreshOrder(baseFor(i)));
  log(`burst: imported ${count} orders in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const failures = new Map<string, number>();
  const fail = (k: string) => failures.set(k, (failures.get(k) ?? 0) + 1);
  const accepted: string[] = [];
  let shed = 0;
  const startedAt = Date.now();
  const started = performance.now();
  await Promise.all(
    orderIds.map(async (orderId, i) => {
      try {
        const response = await fetch(new URL(`/api/v1/orders/${orderId}/cancel-partial?wait=0`, baseFor(i)), {
          method: "POST",
          headers: { ...AGENT, "idempotency-key": randomUUID() },
          body: JSON.stringify(BENCH_REQUEST),
          signal: AbortSignal.timeout(120_000),
        });
        const text = await response.text();
        if (response.status === 201) accepted.push((JSON.parse(text) as { cancellationId: string }).cancellationId);
        else if (response.status === 429 && Number(response.headers.get("retry-after")) > 0) shed++;
        else fail(`HTTP ${response.status}${response.status === 429 ? " without Retry-After" : ""}`);
      } catch (error) {
        fail(error instanceof Error ? error.name : "error");
      }
    }),
  );
  const answeredS = (performance.now() - started) / 1000;
  log(`burst: ${count} answered in ${answeredS.toFixed(1)} s (${accepted.length} accepted, ${shed} shed); waiting for the sagas`);

  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  try {
    const deadline = performance.now() + opts.drainTimeoutS * 1000;
    let statuses = new Map<string, number>();
    for (;;) {
      const { rows } = await client.query<{ status: string; n: string }>("SELECT status, count(*) AS n FROM cancellations WHERE id = ANY($1::uuid[]) GROUP BY status", [accepted]);
      statuses = new Map(rows.map((r) => [r.status, Number(r.n)]));
      const settled = [...statuses].filter(([s]) => s !== "processing").reduce((n, [, c]) => n + c, 0);
      if (settled >= accepted.length || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // completed_at is a timestamp without time zone, written in UTC.
    const last = await client.query<{ ms: string | null }>("SELECT extract(epoch FROM max(completed_at) AT TIME ZONE 'UTC') * 1000 AS ms FROM cancellations WHERE id = ANY($1::uuid[])", [accepted]);
    const lastMs = last.rows[0]?.ms === null || last.rows[0]?.ms === undefined ? Number.NaN : Number(last.rows[0].ms);
    const onOrders = await client.query<{ n: string }>("SELECT count(*) AS n FROM cancellations WHERE order_id = ANY($1::uuid[])", [orderIds]);
    const completed = statuses.get("completed") ?? 0;
    statuses.delete("completed");
    return {
      count,
      accepted: accepted.length,
      shed,
      failures,
      answeredS,
      drainS: (lastMs - startedAt) / 1000,
      completed,
      notCompleted: statuses,
      lost: Math.abs(Number(onOrders.rows[0]!.n) - accepted.length) + (accepted.length - [...new Set(accepted)].length),
    };
  } finally {
    await client.end();
  }
}
