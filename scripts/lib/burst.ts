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
 * `count` orders made at once in SQL, each a copy of one order imported through the API (its
 * lines, tenders and reservations, with its own ids, external id, customer and provider
 * reference), their card tenders then made known to the provider fake as an import would.
 * Ten thousand imports through the API would take longer than the burst they prepare.
 */
export async function seedBurstOrders(opts: { base: URL; databaseUrl: string; fakeUrl: string; count: number }): Promise<string[]> {
  const template = await importFreshOrder(opts.base);
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  let tenders: { order_id: string; provider: string; reference: string; currency: string; authorized: string; captured: string }[];
  try {
    await client.query("BEGIN");
    await client.query("CREATE TEMP TABLE burst_orders ON COMMIT DROP AS SELECT n, gen_random_uuid() AS id FROM generate_series(1, $1::int) n", [opts.count]);
    // Each row is the template's with a few fields replaced (jsonb_populate_record keeps the table's column order).
    const copy = (table: string, replace: string) =>
      client.query(`INSERT INTO ${table} SELECT (jsonb_populate_record(NULL::${table}, to_jsonb(x) || ${replace})).* FROM ${table} x, burst_orders b WHERE x.order_id = $1::uuid`, [template]);
    await client.query(
      "INSERT INTO orders SELECT (jsonb_populate_record(NULL::orders, to_jsonb(x) || jsonb_build_object('id', b.id, 'external_id', x.external_id || '-' || b.n, 'customer_id', x.customer_id || '-' || b.n))).* FROM orders x, burst_orders b WHERE x.id = $1::uuid",
      [template],
    );
    // A line's copy gets an id derived from the line and the new order, so its reservations find it.
    await copy("order_lines", "jsonb_build_object('id', md5(x.id::text || b.id::text)::uuid, 'order_id', b.id)");
    await copy("tenders", "jsonb_build_object('id', gen_random_uuid(), 'order_id', b.id, 'provider_reference', x.provider_reference || '_' || b.n)");
    await copy("inventory_reservations", "jsonb_build_object('id', gen_random_uuid(), 'order_id', b.id, 'order_line_id', md5(x.order_line_id::text || b.id::text)::uuid)");
    ({ rows: tenders } = await client.query(
      `SELECT t.order_id, t.provider::text AS provider, t.provider_reference AS reference, o.currency, t.authorized::text, t.captured::text
         FROM tenders t JOIN orders o ON o.id = t.order_id JOIN burst_orders b ON b.id = t.order_id ORDER BY b.n`,
    ));
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
  await mapLimit(tenders.length, 32, async (i) => {
    const t = tenders[i]!;
    if (t.provider === "internal") return;
    const response = await fetch(new URL("/_fake/payments", opts.fakeUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: t.provider, reference: t.reference, currency: t.currency, authorized: Number(t.authorized), captured: Number(t.captured) }),
    });
    await response.text();
    if (response.status !== 201 && response.status !== 409) throw new Error(`provider fake refused ${t.reference}: ${response.status}`);
  });
  return [...new Set(tenders.map((t) => t.order_id))];
}

/**
 * SPEC §9's burst: `count` fresh orders are seeded first (not measured), then one submit per
 * order is opened at once with `?wait=0`. Every answer must be a 201 or a 429 with Retry-After;
 * every accepted saga must then complete (followed in the database, bounded by `drainTimeoutS`).
 */
export async function runBurst(opts: { base: URL | URL[]; databaseUrl: string; fakeUrl: string; count: number; drainTimeoutS: number; log: (l: string) => void }): Promise<BurstResult> {
  const { count, log } = opts;
  // Several app instances: the submits are spread over them round robin.
  const bases = Array.isArray(opts.base) ? opts.base : [opts.base];
  const baseFor = (i: number) => bases[i % bases.length]!;
  const t0 = performance.now();
  const orderIds = await seedBurstOrders({ base: bases[0]!, databaseUrl: opts.databaseUrl, fakeUrl: opts.fakeUrl, count });
  log(`burst: seeded ${orderIds.length} orders in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

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
