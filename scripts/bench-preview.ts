import { performance } from "node:perf_hooks";
import { createDb } from "@/server/db/client";
import { bounded, loopbackBase, percentile } from "./lib/bench";

/*
 * `npm run bench:preview`: load on POST /api/v1/orders/{id}/cancel-partial/preview of a
 * RUNNING app, against SPEC §9's target (preview p95 under 50 ms at 50 concurrent users).
 *
 *   BASE_URL      the app, loopback only (default http://localhost:3000)
 *   ORDER_ID      the order to preview; otherwise the seeded WEB-EXAMPLE-A, looked up
 *                 through DATABASE_URL
 *   API_KEY       default dev-agent-key
 *   CONNECTIONS   concurrent requests in flight (default 50, at most 500)
 *   DURATION_S    seconds of load (default 20, at most 300)
 *   MAX_REQUESTS  stop earlier after this many requests (default 1,000,000)
 *
 * Node's fetch keeps connections alive, so each of the CONNECTIONS loops reuses its socket.
 */

async function findOrderId(): Promise<string> {
  if (process.env.ORDER_ID) return process.env.ORDER_ID;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("Set ORDER_ID, or DATABASE_URL to look up the seeded WEB-EXAMPLE-A order");
  const db = createDb(url, 1);
  try {
    const order = await db.order.findUnique({ where: { channel_externalId: { channel: "web", externalId: "WEB-EXAMPLE-A" } }, select: { id: true } });
    if (!order) throw new Error("WEB-EXAMPLE-A is not in that database: run `npm run db:seed` first");
    return order.id;
  } finally {
    await db.$disconnect();
  }
}

async function main() {
  const base = loopbackBase();
  const connections = bounded("CONNECTIONS", 50, 500);
  const durationS = bounded("DURATION_S", 20, 300);
  const maxRequests = bounded("MAX_REQUESTS", 1_000_000, 10_000_000);
  const orderId = await findOrderId();
  const url = new URL(`/api/v1/orders/${encodeURIComponent(orderId)}/cancel-partial/preview`, base);
  const init = {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.API_KEY ?? "dev-agent-key"}`, "content-type": "application/json" },
    body: JSON.stringify({ orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" }),
  };

  // One request first: a wrong key, order or app would otherwise be measured as 50 × N errors.
  const probe = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const probeBody = await probe.text();
  if (probe.status !== 200) throw new Error(`probe answered ${probe.status}: ${probeBody}`);
  console.log(`Preview of order ${orderId}: ${probeBody.slice(0, 160)}…`);
  console.log(`Load: ${connections} connections for ${durationS} s (at most ${maxRequests} requests) on ${url.origin}`);

  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let sent = 0;
  const started = performance.now();
  const deadline = started + durationS * 1000;

  async function worker() {
    while (performance.now() < deadline && sent < maxRequests) {
      sent += 1;
      const t0 = performance.now();
      try {
        const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - t0);
        else failures.set(`HTTP ${response.status}`, (failures.get(`HTTP ${response.status}`) ?? 0) + 1);
      } catch (error) {
        const name = error instanceof Error ? error.name : "error";
        failures.set(name, (failures.get(name) ?? 0) + 1);
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsedS = (performance.now() - started) / 1000;

  latencies.sort((a, b) => a - b);
  const errors = [...failures.values()].reduce((s, n) => s + n, 0);
  const ms = (v: number) => v.toFixed(1);
  console.log(`requests: ${sent} in ${elapsedS.toFixed(1)} s → ${(sent / elapsedS).toFixed(0)} requests/s`);
  console.log(`errors: ${errors}${errors ? ` (${[...failures].map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""}`);
  console.log(`latency ms (successful): p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  p99 ${ms(percentile(latencies, 99))}  max ${ms(latencies.at(-1) ?? Number.NaN)}`);
  const p95 = percentile(latencies, 95);
  console.log(`SPEC §9 target p95 < 50 ms: ${p95 < 50 ? "met" : "NOT met"}`);
  process.exitCode = errors > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
