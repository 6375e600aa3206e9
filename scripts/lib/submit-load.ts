import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";

export const AGENT = { authorization: "Bearer dev-agent-key", "content-type": "application/json" };
export const INTEGRATION = { authorization: "Bearer dev-integration-key", "content-type": "application/json" };
/** What every benchmark cancellation asks for: 2 of line 1 of a fresh order (within an agent's limit). */
export const BENCH_REQUEST = { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" };

export async function call<T>(base: URL, path: string, init: RequestInit, timeoutMs = 30_000): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
}

export function freshOrder() {
  return {
    channel: "web",
    externalId: `BENCH-${randomUUID()}`,
    storeId: "STORE-001",
    currency: "USD",
    customer: { id: `BENCH-${randomUUID()}`, name: "Bench Customer", email: "bench@example.com" },
    lines: [
      { lineId: "1", sku: "SKU-BENCH-1", quantity: 3, unitPrice: "20.00", tax: "4.50", locationId: "DC-BENCH" },
      { lineId: "2", sku: "SKU-BENCH-2", quantity: 1, unitPrice: "15.00", tax: "1.20", locationId: "DC-BENCH" },
    ],
    shipping: { amount: "5.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_bench_${randomUUID().replace(/-/g, "")}`, authorized: "85.70", captured: "0.00", brand: "visa", last4: "4242" }],
  };
}

/** Imports a fresh order through the REST API (so the provider fake learns its tender). */
export async function importFreshOrder(base: URL): Promise<string> {
  const imported = await call<{ orderId: string }>(base, "/api/v1/orders", { method: "POST", headers: INTEGRATION, body: JSON.stringify(freshOrder()) });
  if (imported.status !== 201) throw new Error(`import answered ${imported.status}: ${JSON.stringify(imported.body)}`);
  return imported.body.orderId;
}

export interface SubmitLoadResult {
  completed: number;
  elapsedS: number;
  /** Submit → 201, as the client saw it. */
  accept: number[];
  /** The cancellation's createdAt → completedAt, from the server's timestamps. */
  completion: number[];
  problems: string[];
}

type Final = { status: string; completionMs: number | null };

/**
 * Follows cancellations to a state other than `processing` in the database: one statement every
 * 50 ms for all of them, where a status poll per user over HTTP (every 200 ms) cost the app more
 * CPU than the cancellations it measured (15 polls for each at a 3-second completion, ~7 ms each).
 */
function watchInDatabase(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "bench-watch" });
  const waiting = new Map<string, { resolve: (f: Final) => void; reject: (e: unknown) => void }>();
  let stopped = false;
  // The watch's own failure (a lost connection) fails every cancellation it follows, at once and by name,
  // rather than each waiting out its timeout as if the saga had not finished.
  let failure: unknown = null;
  const connected = client.connect();
  const loop = (async () => {
    await connected;
    while (!stopped) {
      if (waiting.size) {
        const { rows } = await client.query<{ id: string; status: string; ms: number | null }>(
          "SELECT id, status::text, extract(epoch FROM completed_at - created_at) * 1000 AS ms FROM cancellations WHERE id = ANY($1::uuid[]) AND status <> 'processing'",
          [[...waiting.keys()]],
        );
        for (const r of rows) {
          waiting.get(r.id)?.resolve({ status: r.status, completionMs: r.ms === null ? null : Number(r.ms) });
          waiting.delete(r.id);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })().catch((error: unknown) => {
    failure = new Error(`bench: following completions in the database failed: ${error instanceof Error ? error.message : String(error)}`);
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  });
  return {
    until(id: string, timeoutMs: number): Promise<Final> {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve({ status: "processing", completionMs: null });
        }, timeoutMs);
        waiting.set(id, {
          resolve: (f) => {
            clearTimeout(timer);
            resolve(f);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
      });
    },
    async stop() {
      stopped = true;
      await loop;
      await client.end().catch(() => {}); // a failed watch has said so through every cancellation it followed
    },
  };
}

/**
 * `users` concurrent users, each importing a fresh order, previewing and submitting
 * (`?wait=0`) a cancellation and following it to completion, `perUser` times. Checks that no
 * unit was over-cancelled and every refund equals its preview (SPEC §9). With `databaseUrl` the
 * completions are followed in the database (a statement every 50 ms for all users), otherwise by
 * each user polling the cancellation over HTTP every 200 ms (which loads the app it measures).
 */
export async function runSubmitLoad(opts: { base: URL | URL[]; users: number; perUser: number; databaseUrl?: string }): Promise<SubmitLoadResult> {
  // Several app instances: the users are spread over them round robin.
  const bases = Array.isArray(opts.base) ? opts.base : [opts.base];
  const accept: number[] = [];
  const completion: number[] = [];
  const problems: string[] = [];
  const watcher = opts.databaseUrl ? watchInDatabase(opts.databaseUrl) : null;

  async function pollOverHttp(base: URL, orderId: string, cancellationId: string, t0: number, first: { status: string; createdAt: string; completedAt: string | null }): Promise<Final> {
    // Under load the saga may finish before the submit answers, even with ?wait=0.
    let final = first;
    while (final.status === "processing" && performance.now() - t0 < 60_000) {
      await new Promise((r) => setTimeout(r, 200));
      final = (await call<typeof final>(base, `/api/v1/orders/${orderId}/cancellations/${cancellationId}`, { headers: AGENT })).body;
    }
    return { status: final.status, completionMs: final.completedAt ? Date.parse(final.completedAt) - Date.parse(final.createdAt) : null };
  }

  async function oneCancellation(base: URL) {
    const orderId = await importFreshOrder(base);
    const preview = await call<{ previewVersion: number; totals: { total: string } }>(base, `/api/v1/orders/${orderId}/cancel-partial/preview`, { method: "POST", headers: AGENT, body: JSON.stringify(BENCH_REQUEST) });
    const t0 = performance.now();
    const submitted = await call<{ cancellationId: string; status: string; refundAmount: string; createdAt: string; completedAt: string | null }>(base, `/api/v1/orders/${orderId}/cancel-partial?wait=0`, {
      method: "POST",
      headers: { ...AGENT, "idempotency-key": randomUUID() },
      body: JSON.stringify({ ...BENCH_REQUEST, previewVersion: preview.body.previewVersion }),
    });
    accept.push(performance.now() - t0);
    if (submitted.status !== 201) return void problems.push(`submit ${orderId} answered ${submitted.status}`);
    if (submitted.body.refundAmount !== preview.body.totals.total) problems.push(`refund ${submitted.body.refundAmount} differs from preview ${preview.body.totals.total}`);
    // The completion time comes from the server's own timestamps (accepted at createdAt, completed at completedAt).
    const { cancellationId } = submitted.body;
    const final = watcher ? await watcher.until(cancellationId, 60_000) : await pollOverHttp(base, orderId, cancellationId, t0, submitted.body);
    if (final.status !== "completed" || final.completionMs === null) return void problems.push(`cancellation on ${orderId} ended ${final.status}`);
    completion.push(final.completionMs);
    const order = await call<{ lines: { lineId: string; quantity: number; cancelled: number; pendingCancel: number; shipped: number; released: number }[] }>(base, `/api/v1/orders/${orderId}`, { headers: AGENT });
    for (const l of order.body.lines) {
      if (l.cancelled + l.pendingCancel + l.shipped + l.released > l.quantity) problems.push(`order ${orderId} line ${l.lineId} over-cancelled`);
      if (l.lineId === "1" && l.cancelled !== 2) problems.push(`order ${orderId} line 1 has ${l.cancelled} cancelled, expected 2`);
    }
  }

  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: opts.users }, async (_, user) => {
        for (let i = 0; i < opts.perUser; i++) {
          try {
            await oneCancellation(bases[user % bases.length]!);
          } catch (error) {
            problems.push((error as Error).message);
          }
        }
      }),
    );
  } finally {
    await watcher?.stop();
  }
  return { completed: completion.length, elapsedS: (performance.now() - started) / 1000, accept, completion, problems };
}
