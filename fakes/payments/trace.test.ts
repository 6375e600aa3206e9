import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FAKE_DEFAULTS } from "@/server/config/payment-fake-defaults";
import { registerTender, startFake } from "@/server/payments/test-support";
import { until } from "@/test/support/until";
import type { ProviderFake } from "./server";

// The provider fake in a process that does not trace (as `npm run dev` and the e2e run start it):
// the webhook an API call causes goes out with that call's traceparent/tracestate, so that the
// app's `webhook <provider>` span continues the trace of the saga step that called.
const deliveries: http.IncomingHttpHeaders[] = [];
let receiver: http.Server;
let fake: ProviderFake;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    deliveries.push(req.headers);
    req.resume().on("end", () => res.writeHead(200).end("{}"));
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  fake = await startFake({ webhookBaseUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await fake?.stop();
  receiver?.close();
});

it("a Stripe cancel called with a traceparent is notified with it (and tracestate); one called without, without", async () => {
  const traceparent = `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
  const cancel = async (headers: Record<string, string>) => {
    const tender = await registerTender(fake, { provider: "stripe", authorized: 1_000 });
    return fetch(`${fake.url}/v1/payment_intents/${tender.providerReference}/cancel`, { method: "POST", headers: { authorization: `Bearer ${FAKE_DEFAULTS.stripeSecretKey}`, ...headers } });
  };
  expect((await cancel({ traceparent, tracestate: "psp=1" })).status).toBe(200);
  await until("the webhook", async () => deliveries.length === 1);
  expect(deliveries[0]).toMatchObject({ traceparent, tracestate: "psp=1", "stripe-signature": expect.any(String) });
  expect((await cancel({})).status).toBe(200);
  await until("the second webhook", async () => deliveries.length === 2);
  expect(deliveries[1]).not.toHaveProperty("traceparent");
});
