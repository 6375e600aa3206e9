import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { Actor, Role } from "@/server/auth/permissions";
import { storeFilterFor } from "@/server/auth/permissions";
import { reloadConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { exampleAOrder } from "@/server/dev/seed-orders";
import { setAfterImport } from "@/server/orders/after-import";
import { importOrder } from "@/server/orders/import-order";
import type { TImportOrderInput } from "@/server/orders/import-order.schema";
import { registerTendersWithFake } from "@/fakes/payments/register-tenders";
import { startProviderFake, type ProviderFake } from "@/fakes/payments/server";
import { createPaymentProviders, loadPaymentConfig, type PaymentProviders } from "@/server/payments/registry";
import { startWorker } from "@/server/worker/worker";
import { createUser, unique } from "./factories";

export interface SagaHarness {
  fake: ProviderFake;
  payments: PaymentProviders;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The provider fake on free loopback ports and payment adapters pointed at it, with quick retries.
 * Orders imported meanwhile (importForTest, or POST /api/v1/orders in process) have their tenders
 * registered there, as instrumentation.ts wires it for the app.
 */
export async function startSagaHarness(): Promise<SagaHarness> {
  const fake = await startProviderFake({ port: 0, adyenPort: 0, webhookBaseUrl: "http://127.0.0.1:9" });
  const env = {
    PROVIDER_FAKE_URL: fake.url,
    PROVIDER_FAKE_ADYEN_URL: fake.adyenUrl,
    PAYMENT_PROVIDER_TIMEOUT_MS: "2000",
    PAYMENT_PROVIDER_ATTEMPTS: "3",
    PAYMENT_PROVIDER_RETRY_BASE_MS: "5",
    PAYMENT_PROVIDER_RETRY_MAX_MS: "20",
  };
  Object.assign(process.env, env);
  reloadConfig();
  const payments = createPaymentProviders(loadPaymentConfig({ ...process.env, ...env }), { db: getDb() });
  setAfterImport(registerTendersWithFake);
  return {
    fake,
    payments,
    env,
    stop: () => {
      setAfterImport(undefined);
      return fake.stop();
    },
  };
}

/**
 * For a test file whose cancellations run to the end: the harness and an in-process worker on it,
 * started before the file's tests and stopped after them. Read `harness` inside tests and hooks.
 */
export function withSagaWorker(opts: { concurrency?: number } = {}): { readonly harness: SagaHarness } {
  let harness: SagaHarness | undefined;
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  beforeAll(async () => {
    harness = await startSagaHarness();
    worker = await startWorker({ db: getDb(), databaseUrl: process.env.DATABASE_URL!, payments: harness.payments, concurrency: opts.concurrency ?? 2, log: () => {} });
  });
  afterAll(async () => {
    await worker?.stop();
    await harness?.stop();
  });
  return {
    get harness() {
      if (!harness) throw new Error("withSagaWorker: the harness starts in beforeAll; read it inside a test");
      return harness;
    },
  };
}

export async function actorFor(role: Role = "customer_service_agent", stores: string[] = []): Promise<Actor> {
  const user = await createUser({ role, stores });
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role, storeIds: storeFilterFor(role, stores), scopes: null, channel: "web" };
}

/** SPEC worked example A (the seed's order) with unique ids and references: card T1 (Stripe, only authorized) and gift card T2. */
export function exampleA(storeId = "STORE-001"): TImportOrderInput {
  const order = exampleAOrder({ externalId: unique("WEB-A"), storeId, customer: { id: unique("CUST"), name: "Ada Lovelace", email: "ada@example.com" } });
  return {
    ...order,
    tenders: order.tenders.map((t) => ({
      ...t,
      providerReference: t.provider === "internal" ? unique("GC") : `pi_${randomUUID().replace(/-/g, "")}`,
    })),
  };
}

/** One line of `quantity` units at 10.00 each, paid by one Stripe authorization. */
export function simpleOrder(quantity: number, provider: "stripe" | "paypal" | "adyen" = "stripe"): TImportOrderInput {
  const total = (quantity * 10).toFixed(2);
  const reference = provider === "paypal" ? unique("AUTH").toUpperCase() : provider === "adyen" ? unique("PSP").toUpperCase() : `pi_${randomUUID().replace(/-/g, "")}`;
  return {
    channel: "web",
    externalId: unique("WEB-S"),
    storeId: "STORE-001",
    currency: "USD",
    customer: { id: unique("CUST"), name: "Grace Hopper", email: "grace@example.com" },
    lines: [{ lineId: "1", sku: "SKU-1", quantity, unitPrice: "10.00", locationId: "DC-WEST" }],
    tenders: [{ tenderId: "T1", method: provider === "paypal" ? "paypal" : "card", provider, providerReference: reference, authorized: total, captured: "0.00", brand: "visa", last4: "1111" }],
  };
}

export async function importForTest(order: TImportOrderInput, actor?: Actor) {
  const importer = actor ?? (await actorFor());
  return importOrder({ db: getDb(), actor: importer, afterImport: registerTendersWithFake }, order);
}
