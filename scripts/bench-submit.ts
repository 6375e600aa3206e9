import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { bounded, loopbackBase, summary } from "./lib/bench";

/*
 * `npm run bench:submit`: USERS concurrent users (default 50) each import fresh orders, preview,
 * and submit a cancellation to completion against a RUNNING app (its worker and provider fake
 * too: `npm run dev` or `npm start`). Prints throughput and p50/p95/p99 for accept (the 201)
 * and for completion (the cancellation's createdAt → completedAt), and checks that no unit was over-cancelled
 * and every refund equals its preview (SPEC §9).
 *
 *   BASE_URL          loopback only (default http://localhost:3000)
 *   USERS             concurrent users (default 50, at most 200)
 *   ORDERS_PER_USER   submits per user (default 4, at most 100)
 */

const base = loopbackBase();
const users = bounded("USERS", 50, 200);
const perUser = bounded("ORDERS_PER_USER", 4, 100);
const AGENT = { authorization: "Bearer dev-agent-key", "content-type": "application/json" };
const INTEGRATION = { authorization: "Bearer dev-integration-key", "content-type": "application/json" };

async function call<T>(path: string, init: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

function freshOrder() {
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

const accept: number[] = [];
const completion: number[] = [];
const problems: string[] = [];

async function oneCancellation() {
  const imported = await call<{ orderId: string }>("/api/v1/orders", { method: "POST", headers: INTEGRATION, body: JSON.stringify(freshOrder()) });
  if (imported.status !== 201) throw new Error(`import answered ${imported.status}: ${JSON.stringify(imported.body)}`);
  const { orderId } = imported.body;
  const request = { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
  const preview = await call<{ previewVersion: number; totals: { total: string } }>(`/api/v1/orders/${orderId}/cancel-partial/preview`, { method: "POST", headers: AGENT, body: JSON.stringify(request) });
  const t0 = performance.now();
  const submitted = await call<{ cancellationId: string; status: string; refundAmount: string; createdAt: string; completedAt: string | null }>(`/api/v1/orders/${orderId}/cancel-partial?wait=0`, {
    method: "POST",
    headers: { ...AGENT, "idempotency-key": randomUUID() },
    body: JSON.stringify({ ...request, previewVersion: preview.body.previewVersion }),
  });
  accept.push(performance.now() - t0);
  if (submitted.status !== 201) return void problems.push(`submit ${orderId} answered ${submitted.status}`);
  if (submitted.body.refundAmount !== preview.body.totals.total) problems.push(`refund ${submitted.body.refundAmount} differs from preview ${preview.body.totals.total}`);
  // Polling slowly keeps the benchmark from loading the server it measures; the completion time
  // comes from the server's own timestamps (accepted at createdAt, completed at completedAt).
  // Under load the saga may finish before the submit answers, even with ?wait=0.
  let final = { status: submitted.body.status, createdAt: submitted.body.createdAt, completedAt: submitted.body.completedAt };
  while (final.status === "processing" && performance.now() - t0 < 60_000) {
    await new Promise((r) => setTimeout(r, 200));
    final = (await call<typeof final>(`/api/v1/orders/${orderId}/cancellations/${submitted.body.cancellationId}`, { headers: AGENT })).body;
  }
  if (final.status !== "completed" || !final.completedAt) return void problems.push(`cancellation on ${orderId} ended ${final.status}`);
  completion.push(Date.parse(final.completedAt) - Date.parse(final.createdAt));
  const order = await call<{ lines: { lineId: string; quantity: number; cancelled: number; pendingCancel: number; shipped: number; released: number }[] }>(`/api/v1/orders/${orderId}`, { headers: AGENT });
  for (const l of order.body.lines) {
    if (l.cancelled + l.pendingCancel + l.shipped + l.released > l.quantity) problems.push(`order ${orderId} line ${l.lineId} over-cancelled`);
    if (l.lineId === "1" && l.cancelled !== 2) problems.push(`order ${orderId} line 1 has ${l.cancelled} cancelled, expected 2`);
  }
}

const started = performance.now();
await Promise.all(
  Array.from({ length: users }, async () => {
    for (let i = 0; i < perUser; i++) {
      try {
        await oneCancellation();
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
console.log(`${users} users × ${perUser} cancellations on ${base.origin}: ${completion.length} completed in ${elapsed.toFixed(1)} s → ${(completion.length / elapsed).toFixed(1)} cancellations/s (each with an import and a preview)`);
console.log(summary("accept (201)", accept));
console.log(summary("submit → completed (server timestamps)", completion));
console.log(`over-cancelled units or refunds differing from their preview: ${problems.length}`);
for (const p of problems.slice(0, 10)) console.log(`  ${p}`);
process.exitCode = problems.length ? 1 : 0;
