import { afterAll, beforeAll, expect, it } from "vitest";
import { getDb } from "@/server/db/client";
import { ProviderError } from "@/server/payments/resilience";
import { until } from "@/test/support/until";
import { startWarehouseHarness, type WarehouseHarness } from "@/test/warehouse-harness";
import { getProviderHealth } from "./provider-health";

const db = getDb();
let wh: WarehouseHarness;

beforeAll(async () => {
  // Two failed calls of three attempts each open it; a trial goes through 300 ms later.
  process.env.WAREHOUSE_BREAKER_THRESHOLD = "4";
  process.env.WAREHOUSE_BREAKER_HALF_OPEN_MS = "300";
  wh = await startWarehouseHarness();
});
afterAll(async () => {
  delete process.env.WAREHOUSE_BREAKER_THRESHOLD;
  delete process.env.WAREHOUSE_BREAKER_HALF_OPEN_MS;
  await wh.stop();
});

const warehouseCircuit = async () => (await getProviderHealth({ db })).circuits.find((c) => c.provider === "warehouse");

it("the admin's provider health lists every circuit breaker, the warehouse's included", async () => {
  const health = await getProviderHealth({ db });
  expect(health.circuits.map((c) => c.provider)).toEqual(["stripe", "paypal", "adyen", "warehouse"]);
  expect(health.circuits.every((c) => c.state === "closed")).toBe(true);
});

it("the warehouse's breaker, opened by the fake's 503s, shows open with the failure, then closed again once a trial call goes through", async () => {
  wh.fake.state.addFault({ kind: "error", status: 503, count: 100 });
  for (let call = 0; call < 2; call++) await expect(wh.warehouse.status(["o-1"])).rejects.toBeInstanceOf(ProviderError);
  const open = await warehouseCircuit();
  expect(open).toMatchObject({ state: "open", failures: 4 });
  expect(open!.lastFailure).toContain("503");
  expect(open!.openedAt).not.toBeNull();
  // While open nothing reaches the warehouse: the fault's 503s are not used up.
  const left = wh.fake.state.faults[0]!.left;
  await expect(wh.warehouse.status(["o-1"])).rejects.toThrow(/circuit is open/);
  expect(wh.fake.state.faults[0]!.left).toBe(left);

  wh.fake.state.faults = [];
  await until("the trial call to close the circuit", async () => {
    await wh.warehouse.status(["o-1"]).catch(() => undefined);
    const c = await warehouseCircuit();
    return c?.state === "closed" ? c : undefined;
  }, { everyMs: 100 });
  expect(await warehouseCircuit()).toMatchObject({ state: "closed", failures: 0 });
});
