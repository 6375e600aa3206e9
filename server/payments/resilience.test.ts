import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderFake } from "@/fakes/payments/server";
import { getDb } from "@/server/db/client";
import { readCircuits } from "./registry";
import { fakePorts, injectFault, paymentState, registerTender, startFake, uniqueTag } from "./test-support";

let fake: ProviderFake;
const db = getDb();
/** The circuits as the database holds them: what every process sees. */
const states = async () => Object.fromEntries((await readCircuits(db)).map((c) => [c.provider, c.state]));

beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.stop();
});

describe("circuit breaker per provider, shared through the database", () => {
  it("opens after consecutive transient failures, fails fast without calling, and closes after a good trial", async () => {
    const { stripe } = fakePorts(fake, {
      PAYMENT_PROVIDER_ATTEMPTS: "1",
      PAYMENT_BREAKER_THRESHOLD: "2",
      PAYMENT_BREAKER_HALF_OPEN_MS: "1500",
    });
    const tender = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });
    expect(await states()).toEqual({ stripe: "closed", paypal: "closed", adyen: "closed" });

    await injectFault(fake, { provider: "stripe", operation: "refund", reference: tender.providerReference, fault: "http_500", count: 2 });
    expect(await stripe.refund(tender, 100, uniqueTag())).toMatchObject({ status: "unknown" });
    expect(await stripe.refund(tender, 100, uniqueTag())).toMatchObject({ status: "unknown" });
    expect((await states()).stripe).toBe("open");

    // Had this call reached the fake, it would have consumed the decline.
    await injectFault(fake, { provider: "stripe", operation: "refund", reference: tender.providerReference, fault: "decline", count: 1 });
    expect(await stripe.refund(tender, 100, uniqueTag())).toMatchObject({ status: "unknown", code: "circuit_open" });
    const faults = (await fetch(`${fake.url}/_fake/faults`).then((r) => r.json())) as { kind: string }[];
    expect(faults.map((f) => f.kind)).toEqual(["decline"]);
    await fetch(`${fake.url}/_fake/reset`, { method: "POST" });
    const again = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });

    // Bounded polling: the breaker lets a trial call through once halfOpenAfter has passed.
    const deadline = Date.now() + 10_000;
    let result = await stripe.refund(again, 100, uniqueTag());
    while (result.status === "unknown" && result.code === "circuit_open" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      result = await stripe.refund(again, 100, uniqueTag());
    }
    expect(result).toMatchObject({ status: "succeeded" });
    expect((await states()).stripe).toBe("closed");
    expect((await paymentState(fake, "stripe", again.providerReference)).refunded).toBe(100);
  });

  it("does not count declines against the provider's health", async () => {
    const { paypal } = fakePorts(fake, { PAYMENT_PROVIDER_ATTEMPTS: "1", PAYMENT_BREAKER_THRESHOLD: "2" });
    const tender = await registerTender(fake, { provider: "paypal", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "paypal", operation: "refund", reference: tender.providerReference, fault: "decline", count: 3 });

    for (let i = 0; i < 3; i += 1) {
      expect(await paypal.refund(tender, 100, uniqueTag())).toMatchObject({ status: "declined" });
    }
    expect((await states()).paypal).toBe("closed");
  });
});
