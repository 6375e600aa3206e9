import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as importOrderRoute } from "@/app/api/v1/orders/route";
import { registerTendersWithFake } from "@/fakes/payments/register-tenders";
import { register } from "@/instrumentation";
import { reloadConfig } from "@/server/config";
import { sagaQueue, setSagaQueue } from "@/server/cancellations/saga-queue";
import { afterImport, setAfterImport } from "@/server/orders/after-import";
import { sagaQueue as sagasQueue } from "@/server/saga/wire-saga";
import { exampleA } from "./saga-harness";
import { apiClient, callRoute } from "./rest";

// Without a bearer key the handler asks next-auth for a session, which needs Next's request scope.
vi.mock("next-auth", async (original) => ({ ...(await original<typeof import("next-auth")>()), getServerSession: async () => null }));

const saved = { url: process.env.PROVIDER_FAKE_URL, runtime: process.env.NEXT_RUNTIME };

afterEach(() => {
  setAfterImport(undefined);
  for (const [name, value] of [["PROVIDER_FAKE_URL", saved.url], ["NEXT_RUNTIME", saved.runtime]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  reloadConfig();
});

describe("the app's start-up wires the provider fake into the import port", () => {
  it("plugs the fake's tender registration in when the fake is configured", async () => {
    Object.assign(process.env, { NEXT_RUNTIME: "nodejs", PROVIDER_FAKE_URL: "http://127.0.0.1:9" });
    reloadConfig();
    await register();
    expect(afterImport()).toBe(registerTendersWithFake);
  });

  it("without a fake (real providers), plugs in only the saga's queue", async () => {
    process.env.NEXT_RUNTIME = "nodejs";
    delete process.env.PROVIDER_FAKE_URL;
    reloadConfig();
    setSagaQueue(undefined);
    await register();
    expect(afterImport()).toBeUndefined();
    expect(sagaQueue()).toBe(sagasQueue);
  });

  it("POST /api/v1/orders runs whatever start-up plugged in, after the order is stored", async () => {
    const seen: string[] = [];
    setAfterImport(async (orderId, order) => {
      seen.push(`${orderId} ${order.externalId}`);
    });
    const { key } = await apiClient();
    const order = exampleA();
    const response = await callRoute<{ orderId: string }>(importOrderRoute, { key, body: order });
    expect(response.status).toBe(201);
    expect(seen).toEqual([`${response.body.orderId} ${order.externalId}`]);
  });
});
