import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeConfig, fakePorts, paymentState, startFake, uniqueRef, uniqueTag } from "@/server/payments/test-support";
import { registerTenderWithFake } from "./register-tenders";
import type { ProviderFake } from "./server";

let fake: ProviderFake;

beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.stop();
});

describe("registerTenderWithFake", () => {
  it("registers a card tender once, after which the adapter can refund it", async () => {
    const config = fakeConfig(fake);
    const tender = {
      tenderId: "T1",
      method: "card" as const,
      provider: "adyen" as const,
      providerReference: uniqueRef("PSP"),
      currency: "GBP",
      authorized: 2_000,
      captured: 2_000,
      reversed: 0,
      refunded: 0,
    };

    expect(await registerTenderWithFake(config, tender)).toBe("registered");
    expect(await registerTenderWithFake(config, tender)).toBe("already_registered");
    expect(await fakePorts(fake).adyen.refund(tender, 500, uniqueTag())).toMatchObject({ status: "succeeded", awaitingConfirmation: true });
    expect(await paymentState(fake, "adyen", tender.providerReference)).toMatchObject({ currency: "GBP", refunded: 500 });
  });

  it("skips the internal ledger and providers configured against their real API", async () => {
    const config = fakeConfig(fake, { STRIPE_SECRET_KEY: "sk_live_not_used" });
    const base = { providerReference: uniqueRef("x"), currency: "USD", authorized: 100, captured: 0 };

    expect(await registerTenderWithFake(config, { ...base, provider: "internal" })).toBe("skipped");
    expect(await registerTenderWithFake(config, { ...base, provider: "stripe" })).toBe("skipped");
    expect((await fetch(`${fake.url}/_fake/payments/stripe/${base.providerReference}`)).status).toBe(404);
  });
});
