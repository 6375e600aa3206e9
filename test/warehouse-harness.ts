import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { startWarehouseFake, type WarehouseFake, type WarehouseFakeOptions } from "@/fakes/warehouse/server";
import { reloadConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { createHttpWarehouse } from "@/server/inventory/http-warehouse";
import type { Warehouse } from "@/server/inventory/port";
import { handleWarehouseWebhook } from "@/server/inventory/warehouse-webhook";

export interface WarehouseHarness {
  fake: WarehouseFake;
  warehouse: Warehouse;
  /** Callback deliveries as the app's route answered them. */
  deliveries: { body: string; status: number; outcome: string | null }[];
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The warehouse fake on a free loopback port, its callbacks going to the real route handler
 * (through a small relay standing in for the app), its queue under a prefix of this file's own,
 * and the HTTP adapter pointed at it with quick retries.
 */
export async function startWarehouseHarness(options: WarehouseFakeOptions = {}): Promise<WarehouseHarness> {
  const deliveries: WarehouseHarness["deliveries"] = [];
  const relay: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await handleWarehouseWebhook(new Request("http://localhost/api/webhooks/warehouse", { method: "POST", body, headers }));
    const text = await response.text();
    let outcome: string | null = null;
    try {
      outcome = (JSON.parse(text) as { outcome?: string }).outcome ?? null;
    } catch {
      // not JSON
    }
    deliveries.push({ body, status: response.status, outcome });
    res.writeHead(response.status, { "content-type": "application/json" }).end(text);
  });
  await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
  const prefix = `test.${randomBytes(4).toString("hex")}.`;
  const fake = await startWarehouseFake({
    port: 0,
    callbackBaseUrl: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
    amqpUrl: process.env.EVENTS_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672",
    queuePrefix: prefix,
    delivery: "callback",
    answerDelayMs: 20,
    ...options,
  });
  const env = {
    WAREHOUSE_URL: fake.url,
    WAREHOUSE_TIMEOUT_MS: "1500",
    WAREHOUSE_ATTEMPTS: "3",
    WAREHOUSE_RETRY_BASE_MS: "5",
    WAREHOUSE_RETRY_MAX_MS: "20",
    EVENTS_PREFIX: prefix,
  };
  Object.assign(process.env, env);
  const config = reloadConfig();
  const warehouse = createHttpWarehouse(config.warehouse, { db: getDb() });
  return {
    fake,
    warehouse,
    deliveries,
    env,
    stop: async () => {
      await fake.stop();
      relay.closeAllConnections();
      await new Promise<void>((r) => relay.close(() => r()));
    },
  };
}
