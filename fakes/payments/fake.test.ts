import { readFileSync } from "node:fs";
import https from "node:https";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_DEFAULTS } from "@/server/config/payment-fake-defaults";
import { parseForm, type ProviderFake } from "./server";
import { paymentState, registerTender, startFake, uniqueRef } from "@/server/payments/test-support";

let fake: ProviderFake;
let stripe: Stripe;

beforeAll(async () => {
  fake = await startFake();
  const url = new URL(fake.url);
  stripe = new Stripe(FAKE_DEFAULTS.stripeSecretKey, { host: url.hostname, port: url.port, protocol: "http", maxNetworkRetries: 0 });
});
afterAll(async () => {
  await fake.stop();
});

const post = (path: string, body: unknown) =>
  fetch(`${fake.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("provider fake: admin endpoints", () => {
  it("registers a payment and shows its state", async () => {
    const reference = uniqueRef("pi_");
    const created = await post("/_fake/payments", { provider: "stripe", reference, currency: "usd", authorized: 1_000, captured: 400 });

    expect(created.status).toBe(201);
    expect(await paymentState(fake, "stripe", reference)).toMatchObject({
      currency: "USD",
      authorized: 1_000,
      captured: 400,
      reversed: 0,
      refunded: 0,
      operations: [],
    });
    expect((await post("/_fake/payments", { provider: "stripe", reference, currency: "USD", authorized: 1 })).status).toBe(409);
  });

  it("refuses malformed registrations and faults", async () => {
    const bad = [
      { provider: "visa", reference: "x", currency: "USD", authorized: 1 },
      { provider: "stripe", reference: "", currency: "USD", authorized: 1 },
      { provider: "stripe", reference: "x", currency: "US", authorized: 1 },
      { provider: "stripe", reference: "x", currency: "USD", authorized: 1.5 },
      { provider: "stripe", reference: "x", currency: "USD", authorized: 10, captured: 11 },
    ];
    for (const body of bad) expect((await post("/_fake/payments", body)).status).toBe(400);
    expect((await post("/_fake/faults", { provider: "stripe", fault: "meteor" })).status).toBe(400);
    expect((await post("/_fake/faults", { provider: "stripe", fault: "slow", ms: -1 })).status).toBe(400);
    expect((await fetch(`${fake.url}/_fake/payments/stripe/pi_missing`)).status).toBe(404);
  });

  it("slow: answers, but only after the delay", async () => {
    const tender = await registerTender(fake, { provider: "stripe", authorized: 1_000 });
    await post("/_fake/faults", { provider: "stripe", operation: "read", fault: "slow", ms: 200 });

    const started = Date.now();
    const intent = await stripe.paymentIntents.retrieve(tender.providerReference);

    expect(intent.status).toBe("requires_capture");
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });
});

describe("provider fake: Stripe semantics", () => {
  it("refuses to change the amount of a requires_capture PaymentIntent, as Stripe does", async () => {
    const tender = await registerTender(fake, { provider: "stripe", authorized: 1_000 });

    await expect(stripe.paymentIntents.update(tender.providerReference, { amount: 600 })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "payment_intent_unexpected_state",
    });
  });

  it("refuses to capture an amount that was reversed", async () => {
    const tender = await registerTender(fake, { provider: "stripe", authorized: 1_000 });
    await stripe.paymentIntents.update(tender.providerReference, { metadata: { reversed_amount: "400" } });

    await expect(stripe.paymentIntents.capture(tender.providerReference, { amount_to_capture: 700 })).rejects.toMatchObject({
      code: "amount_too_large",
    });
    const captured = await stripe.paymentIntents.capture(tender.providerReference, { amount_to_capture: 600 });
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 600 });
  });

  it("answers an unknown PaymentIntent with resource_missing and a bad key with 401", async () => {
    await expect(stripe.paymentIntents.retrieve("pi_nope")).rejects.toMatchObject({ statusCode: 404, code: "resource_missing" });
    const response = await fetch(`${fake.url}/v1/payment_intents/pi_nope`, { headers: { authorization: "Bearer nope" } });
    expect(response.status).toBe(401);
  });

  it("keeps a refund's metadata and lists the PaymentIntent's refunds with it, as refunds.list reads them", async () => {
    const tender = await registerTender(fake, { provider: "stripe", authorized: 1_000, captured: 1_000 });
    const refund = await stripe.refunds.create({ payment_intent: tender.providerReference, amount: 300, metadata: { pc_operation_key: "our-key" } });
    expect(refund.metadata).toEqual({ pc_operation_key: "our-key" });
    await stripe.refunds.create({ payment_intent: tender.providerReference, amount: 200 });
    const listed = await stripe.refunds.list({ payment_intent: tender.providerReference, limit: 100 });
    expect(listed.data.map((r) => [r.amount, r.metadata])).toEqual([
      [200, {}],
      [300, { pc_operation_key: "our-key" }],
    ]);
    const other = await registerTender(fake, { provider: "stripe", authorized: 1_000, captured: 1_000 });
    expect((await stripe.refunds.list({ payment_intent: other.providerReference })).data).toEqual([]);
  });

  it("slow_answer: does the operation at once and answers only after the delay", async () => {
    const tender = await registerTender(fake, { provider: "stripe", authorized: 1_000, captured: 1_000 });
    await post("/_fake/faults", { provider: "stripe", operation: "refund", reference: tender.providerReference, fault: "slow_answer", ms: 5_000 });
    let hasAnswered = false;
    const answered = stripe.refunds.create({ payment_intent: tender.providerReference, amount: 100 }).then((r) => ((hasAnswered = true), r));
    await expect.poll(async () => (await paymentState(fake, "stripe", tender.providerReference)).refunded, { timeout: 4_500, interval: 10 }).toBe(100);
    expect(hasAnswered).toBe(false);
    expect(await answered).toMatchObject({ amount: 100, status: "succeeded" });
  });

  it("parses Stripe's nested form encoding", () => {
    expect(parseForm("amount=10&metadata%5Breversed_amount%5D=5&expand%5B0%5D=x")).toEqual({
      amount: "10",
      metadata: { reversed_amount: "5" },
      expand: { "0": "x" },
    });
  });
});

describe("provider fake: Adyen over HTTPS", () => {
  it("serves a certificate that only clients told to trust it accept", async () => {
    await expect(fetch(`${fake.adyenUrl}/v72/payments/x/refunds`, { method: "POST" })).rejects.toThrow();
  });

  it("answers a reused idempotency key with different parameters with an error", async () => {
    const ca = readFileSync(FAKE_DEFAULTS.certPath);
    const tender = await registerTender(fake, { provider: "adyen", authorized: 1_000, captured: 1_000 });
    const send = (value: number) =>
      new Promise<number>((resolve, reject) => {
        const req = https.request(`${fake.adyenUrl}/v72/payments/${tender.providerReference}/refunds`, {
          method: "POST",
          ca,
          headers: { "x-api-key": "k", "idempotency-key": "same-key", "content-type": "application/json" },
        });
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(JSON.stringify({ merchantAccount: "M", amount: { currency: "USD", value } }));
      });

    expect(await send(100)).toBe(201);
    expect(await send(100)).toBe(201);
    expect(await send(200)).toBe(422);
    expect((await paymentState(fake, "adyen", tender.providerReference)).refunded).toBe(100);
  });
});
