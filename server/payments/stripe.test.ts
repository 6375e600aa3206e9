import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderFake } from "@/fakes/payments/server";
import { fakePorts, injectFault, paymentState, registerTender, startFake, uniqueTag } from "./test-support";

let fake: ProviderFake;

beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.stop();
});

describe("Stripe adapter through the stripe SDK", () => {
  it("cancels the PaymentIntent when the whole uncaptured amount is reversed", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 30_099 });

    const result = await stripe.reverse(tender, 30_099, uniqueTag());

    expect(result).toEqual({ status: "succeeded", providerReference: tender.providerReference });
    const state = await paymentState(fake, "stripe", tender.providerReference);
    expect(state).toMatchObject({ status: "canceled", reversed: 30_099 });
    expect(state.operations.map((o) => [o.action, o.amount])).toEqual([["cancel", 30_099]]);
  });

  it("records a partial reversal as the amount never to capture, cumulatively, and cancels the rest", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 10_000 });

    expect(await stripe.reverse(tender, 1_985, uniqueTag())).toMatchObject({ status: "succeeded" });
    const afterFirst = { ...tender, reversed: 1_985 };
    expect(await stripe.reverse(afterFirst, 15, uniqueTag())).toMatchObject({ status: "succeeded" });
    let state = await paymentState(fake, "stripe", tender.providerReference);
    expect(state).toMatchObject({ status: "requires_capture", reversed: 2_000, metadata: { reversed_amount: "2000" } });

    expect(await stripe.reverse({ ...tender, reversed: 2_000 }, 8_000, uniqueTag())).toMatchObject({ status: "succeeded" });
    state = await paymentState(fake, "stripe", tender.providerReference);
    expect(state).toMatchObject({ status: "canceled", reversed: 10_000 });
    expect(state.operations.map((o) => o.action)).toEqual(["update", "update", "cancel"]);
  });

  it("refunds part, then the rest, of a captured PaymentIntent", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 35_099, captured: 35_099 });

    const partial = await stripe.refund(tender, 19_485, uniqueTag());
    const full = await stripe.refund({ ...tender, refunded: 19_485 }, 15_614, uniqueTag());

    expect(partial).toMatchObject({ status: "succeeded", providerReference: expect.stringMatching(/^re_/) });
    expect(full).toMatchObject({ status: "succeeded", providerReference: expect.stringMatching(/^re_/) });
    const state = await paymentState(fake, "stripe", tender.providerReference);
    expect(state.refunded).toBe(35_099);
    expect(state.operations.map((o) => o.amount)).toEqual([19_485, 15_614]);
  });

  it("refunds once when the same idempotency key is sent twice; the key with other parameters is refused, as an unknown outcome (the key's first use may have moved money)", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });
    const key = uniqueTag();

    const first = await stripe.refund(tender, 1_000, key);
    const second = await stripe.refund(tender, 1_000, key);
    const other = await stripe.refund(tender, 2_000, key);

    expect(second).toEqual(first);
    expect(other).toMatchObject({ status: "unknown", code: "idempotency_conflict" });
    const state = await paymentState(fake, "stripe", tender.providerReference);
    expect(state.operations).toHaveLength(1);
    expect(state.refunded).toBe(1_000);
  });

  it("reports a decline as a permanent failure without retrying", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "stripe", operation: "refund", reference: tender.providerReference, fault: "decline", count: 1 });

    const result = await stripe.refund(tender, 1_000, uniqueTag());

    expect(result).toMatchObject({ status: "declined", code: "generic_decline" });
    expect((await paymentState(fake, "stripe", tender.providerReference)).refunded).toBe(0);
  });

  it("retries 500s and then succeeds, refunding once", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "stripe", operation: "refund", reference: tender.providerReference, fault: "http_500", count: 2 });

    const result = await stripe.refund(tender, 1_000, uniqueTag());

    expect(result).toMatchObject({ status: "succeeded" });
    expect((await paymentState(fake, "stripe", tender.providerReference)).operations).toHaveLength(1);
  });

  it("gives up with a transient failure when the provider keeps returning 500", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "stripe", operation: "refund", reference: tender.providerReference, fault: "http_500", count: 3 });

    const result = await stripe.refund(tender, 1_000, uniqueTag());

    expect(result).toMatchObject({ status: "unknown" });
    expect((await paymentState(fake, "stripe", tender.providerReference)).refunded).toBe(0);
  });

  it("reports a provider that never answers as a transient timeout", async () => {
    const { stripe } = fakePorts(fake, { PAYMENT_PROVIDER_TIMEOUT_MS: "150" });
    const tender = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "stripe", operation: "refund", reference: tender.providerReference, fault: "timeout", count: 3 });

    const result = await stripe.refund(tender, 1_000, uniqueTag());

    expect(result).toMatchObject({ status: "unknown", code: "timeout" });
  });

  it("is refused by the provider when the refund exceeds what it holds as refundable", async () => {
    const { stripe } = fakePorts(fake);
    const registered = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });
    // Our records wrongly believe more was captured; the provider is the last line of defence.
    const stale = { ...registered, authorized: 9_000, captured: 9_000 };

    const result = await stripe.refund(stale, 6_000, uniqueTag());

    expect(result).toMatchObject({ status: "declined", code: "amount_too_large" });
    expect((await paymentState(fake, "stripe", registered.providerReference)).refunded).toBe(0);
  });

  it("refuses locally an amount beyond the tender, calling nobody", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 1_000 });

    expect(await stripe.refund(tender, 1_001, uniqueTag())).toMatchObject({ status: "declined", code: "amount_exceeds_available" });
    expect(await stripe.reverse(tender, 0, uniqueTag())).toMatchObject({ status: "declined", code: "invalid_amount" });
    expect((await paymentState(fake, "stripe", tender.providerReference)).operations).toHaveLength(0);
  });
});
