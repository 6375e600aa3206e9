import { performance } from "node:perf_hooks";
import { createDb } from "@/server/db/client";

export interface LoadResult {
  sent: number;
  elapsedS: number;
  /** Latencies of the successful requests, sorted ascending. */
  latencies: number[];
  failures: Map<string, number>;
}

export const errorCount = (r: Pick<LoadResult, "failures">) => [...r.failures.values()].reduce((s, n) => s + n, 0);

export function describeFailures(failures: Map<string, number>): string {
  return [...failures].map(([k, n]) => `${k}: ${n}`).join(", ");
}

/** The seeded WEB-EXAMPLE-A order's id, looked up through `databaseUrl`. */
export async function findExampleOrderId(databaseUrl: string | undefined): Promise<string> {
  if (!databaseUrl) throw new Error("Set ORDER_ID, or DATABASE_URL to look up the seeded WEB-EXAMPLE-A order");
  const db = createDb(databaseUrl, 1);
  try {
    const order = await db.order.findUnique({ where: { channel_externalId: { channel: "web", externalId: "WEB-EXAMPLE-A" } }, select: { id: true } });
    if (!order) throw new Error("WEB-EXAMPLE-A is not in that database: run `npm run db:seed` first");
    return order.id;
  } finally {
    await db.$disconnect();
  }
}

export function previewRequest(base: URL, orderId: string, apiKey = "dev-agent-key") {
  const url = new URL(`/api/v1/orders/${encodeURIComponent(orderId)}/cancel-partial/preview`, base);
  const init = {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" }),
  };
  return { url, init };
}

/** One preview, so that a wrong key, order or app is not measured as thousands of errors. */
export async function probePreview(base: URL, orderId: string, apiKey?: string): Promise<string> {
  const { url, init } = previewRequest(base, orderId, apiKey);
  const probe = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const body = await probe.text();
  if (probe.status !== 200) throw new Error(`preview probe answered ${probe.status}: ${body}`);
  return body;
}

/**
 * `connections` loops, each sending the preview of `orderId` one after the other for
 * `durationS` seconds (or until `maxRequests`). Node's fetch keeps connections alive, so each
 * loop reuses its socket.
 */
export async function runPreviewLoad(opts: { base: URL | URL[]; orderId: string; connections: number; durationS: number; maxRequests?: number; apiKey?: string }): Promise<LoadResult> {
  // Several app instances: the connections are spread over them round robin.
  const bases = Array.isArray(opts.base) ? opts.base : [opts.base];
  const requests = bases.map((b) => previewRequest(b, opts.orderId, opts.apiKey));
  const maxRequests = opts.maxRequests ?? Number.MAX_SAFE_INTEGER;
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let sent = 0;
  const started = performance.now();
  const deadline = started + opts.durationS * 1000;
  async function loop(_: unknown, index: number) {
    const { url, init } = requests[index % requests.length]!;
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
  await Promise.all(Array.from({ length: opts.connections }, loop));
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { sent, elapsedS, latencies, failures };
}
