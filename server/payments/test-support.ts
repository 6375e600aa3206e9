import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { getDb } from "@/server/db/client";
import { loadPaymentConfig, type PaymentConfig } from "@/server/config/payments";
import { startProviderFake, type ProviderFake, type ProviderFakeOptions } from "@/fakes/payments/server";
import type { FakePayment } from "@/fakes/payments/store";
import type { OperationTag, PaymentTender } from "./port";
import { createPaymentProviders, type PaymentProviders } from "./registry";

/** Helpers for the payment tests: the fake on free loopback ports, ports against it, a webhook sink. */

export async function startFake(options: ProviderFakeOptions = {}): Promise<ProviderFake> {
  return startProviderFake({ port: 0, adyenPort: 0, ...options });
}

export function fakeConfig(fake: ProviderFake, env: Record<string, string> = {}): PaymentConfig {
  return loadPaymentConfig({
    PROVIDER_FAKE_URL: fake.url,
    PROVIDER_FAKE_ADYEN_URL: fake.adyenUrl,
    PAYMENT_PROVIDER_TIMEOUT_MS: "2000",
    PAYMENT_PROVIDER_ATTEMPTS: "3",
    PAYMENT_PROVIDER_RETRY_BASE_MS: "5",
    PAYMENT_PROVIDER_RETRY_MAX_MS: "20",
    // Breakers are shared by the file's tests through its database: only a test about them opens one.
    PAYMENT_BREAKER_THRESHOLD: "1000",
    ...env,
  });
}

/** Fresh ports against the fake; their circuit breakers are the test database's (shared by the file's tests). */
export function fakePorts(fake: ProviderFake, env: Record<string, string> = {}): PaymentProviders {
  return createPaymentProviders(fakeConfig(fake, env), { db: getDb() });
}

export function uniqueRef(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

/** A fresh idempotency key and the cancellation it names, as the saga sends them. */
export function uniqueTag(): OperationTag {
  return { idempotencyKey: uniqueRef("key-"), cancellationId: randomUUID() };
}

async function admin<T>(fake: ProviderFake, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export type PaymentView = Pick<
  FakePayment,
  "reference" | "currency" | "authorized" | "captured" | "reversed" | "refunded" | "status" | "operations" | "captures" | "metadata" | "authorizationId" | "orderId"
>;

/** Registers a payment at the fake and returns the matching tender. */
export async function registerTender(
  fake: ProviderFake,
  input: { provider: "stripe" | "paypal" | "adyen"; currency?: string; authorized: number; captured?: number },
): Promise<PaymentTender> {
  const currency = input.currency ?? "USD";
  const captured = input.captured ?? 0;
  const prefix = { stripe: "pi_", paypal: "AUTH", adyen: "PSP" }[input.provider];
  const reference = uniqueRef(prefix);
  await admin(fake, "POST", "/_fake/payments", { provider: input.provider, reference, currency, authorized: input.authorized, captured });
  return {
    tenderId: uniqueRef("T"),
    method: input.provider === "paypal" ? "paypal" : "card",
    provider: input.provider,
    providerReference: reference,
    currency,
    authorized: input.authorized,
    captured,
    reversed: 0,
    refunded: 0,
  };
}

export function paymentState(fake: ProviderFake, provider: string, reference: string): Promise<PaymentView> {
  return admin(fake, "GET", `/_fake/payments/${provider}/${encodeURIComponent(reference)}`);
}

export function injectFault(
  fake: ProviderFake,
  fault: { provider: string; fault: string; operation?: string; reference?: string; count?: number; ms?: number },
): Promise<unknown> {
  return admin(fake, "POST", "/_fake/faults", fault);
}

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP server standing in for the app's webhook routes. */
export async function startWebhookSink(status = 200) {
  const received: ReceivedRequest[] = [];
  const events = new EventEmitter();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = { path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(request);
      res.writeHead(status).end("[accepted]");
      events.emit("request", request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Resolves with the first request (already received or arriving) that matches. */
    waitFor(match: (r: ReceivedRequest) => boolean, timeoutMs = 5_000): Promise<ReceivedRequest> {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off("request", listener);
          reject(new Error(`no matching webhook within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (r: ReceivedRequest) => {
          if (!match(r)) return;
          clearTimeout(timer);
          events.off("request", listener);
          resolve(r);
        };
        events.on("request", listener);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
