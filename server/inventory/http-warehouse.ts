import type { Db } from "@/server/db/client";
import { sharedBreaker } from "@/server/payments/circuit-breaker";
import { createProviderCaller, ProviderError } from "@/server/payments/resilience";
import type { WarehouseConfig } from "@/server/config/warehouse";
import type { UnreserveRequest, Warehouse, WarehouseLineStatus } from "./port";

/**
 * The warehouse over HTTP: every call passes the per-attempt timeout, retries of transient
 * failures with exponential backoff and jitter, and the warehouse's circuit breaker, whose state is
 * the `warehouse` row of provider_circuits (shared by every process, shown to admins).
 */
export function createHttpWarehouse(config: WarehouseConfig, { db, fetchImpl = fetch }: { db: Db; fetchImpl?: typeof fetch }): Warehouse {
  const r = config.resilience;
  const breaker = sharedBreaker(db, "warehouse", {
    threshold: r.breakerThreshold,
    halfOpenAfterMs: r.halfOpenAfterMs,
    probeTimeoutMs: r.halfOpenAfterMs + r.timeoutMs * r.attempts,
  });
  const caller = createProviderCaller("warehouse", r, classify, breaker);

  async function request(path: string, init: RequestInit, signal: AbortSignal): Promise<unknown> {
    const response = await fetchImpl(`${config.baseUrl}${path}`, {
      ...init,
      signal,
      headers: { authorization: `Bearer ${config.apiKey}`, accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) },
    });
    const text = await response.text();
    if (!response.ok) {
      const transient = response.status >= 500 || response.status === 429 || response.status === 408;
      throw new ProviderError(transient ? "transient" : "permanent", `http_${response.status}`, `warehouse answered ${response.status}: ${text.slice(0, 200)}`, { status: response.status });
    }
    try {
      return text ? JSON.parse(text) : null;
    } catch (error) {
      throw new ProviderError("transient", "bad_response", "warehouse answered with something that is not JSON", { cause: error });
    }
  }

  return {
    async unreserve(req: UnreserveRequest) {
      await caller.call((signal) => request("/wm/inventory/unreserve", { method: "POST", body: JSON.stringify(req) }, signal));
    },
    async status(orderIds: string[]) {
      const query = new URLSearchParams(orderIds.map((id) => ["orderId", id]));
      const body = (await caller.call((signal) => request(`/wm/inventory/status?${query}`, { method: "GET" }, signal))) as { lines?: WarehouseLineStatus[] } | null;
      return body?.lines ?? [];
    },
  };
}

/** Network errors and aborted requests are transient: the warehouse may come back. */
function classify(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  return new ProviderError("transient", "network", `warehouse unreachable: ${(error as Error).message}`, { cause: error });
}
