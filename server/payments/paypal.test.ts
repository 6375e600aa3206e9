import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderFake } from "@/fakes/payments/server";
import { planRefund } from "./paypal";
import { fakePorts, injectFault, paymentState, registerTender, startFake, uniqueTag } from "./test-support";

let fake: ProviderFake;

beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.stop();
});

/** Captures are set up straight against the fake's PayPal API: shipping is not this adapter's business. */
async function capture(authorizationId: string, value: string) {
  const token = await fetch(`${fake.url}/v1/oauth2/token`, {
    method: "POST",
    headers: { authorization: "Basic dGVzdDp0ZXN0", "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const response = await fetch(`${fake.url}/v2/payments/authorizations/${authorizationId}/capture`, {
    method: "POST",
    headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
    body: JSON.stringify({ amount: { currency_code: "USD", value } }),
  });
  expect(response.status).toBe(201);
}

describe("PayPal adapter through @paypal/paypal-server-sdk", () => {
  it("voids the authorization when the whole uncaptured amount is reversed", async () => {
    const { paypal } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "paypal", authorized: 12_000 });

    const result = await paypal.reverse(tender, 12_000, uniqueTag());

    expect(result).toEqual({ status: "succeeded", providerReference: tender.providerReference });
    const state = await paymentState(fake, "paypal", tender.providerReference);
    expect(state).toMatchObject({ status: "VOIDED", reversed: 12_000 });
    expect(state.operations.map((o) => o.action)).toEqual(["void"]);
  });

  it("reauthorizes for the remainder on a partial reversal and continues on the new authorization", async () => {
    const { paypal } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "paypal", authorized: 10_000 });

    const partial = await paypal.reverse(tender, 2_500, uniqueTag());

    expect(partial).toMatchObject({ status: "succeeded" });
    const newAuthorization = partial.status === "succeeded" ? partial.providerReference : "";
    expect(newAuthorization).not.toBe(tender.providerReference);
    let state = await paymentState(fake, "paypal", tender.providerReference);
    expect(state).toMatchObject({ reversed: 2_500, authorizationId: newAuthorization });

    const rest = await paypal.reverse({ ...tender, providerReference: newAuthorization, reversed: 2_500 }, 7_500, uniqueTag());
    expect(rest).toEqual({ status: "succeeded", providerReference: newAuthorization });
    state = await paymentState(fake, "paypal", tender.providerReference);
    expect(state).toMatchObject({ status: "VOIDED", reversed: 10_000 });
    expect(state.operations.map((o) => [o.action, o.amount])).toEqual([
      ["reauthorize", 2_500],
      ["void", 7_500],
    ]);
  });

  it("refunds part, then the rest, of the capture found through the order", async () => {
    const { paypal } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "paypal", authorized: 35_099, captured: 35_099 });

    const partial = await paypal.refund(tender, 19_485, uniqueTag());
    const full = await paypal.refund({ ...tender, refunded: 19_485 }, 15_614, uniqueTag());

    expect(partial).toMatchObject({ status: "succeeded" });
    expect(full).toMatchObject({ status: "succeeded" });
    const state = await paymentState(fake, "paypal", tender.providerReference);
    expect(state.refunded).toBe(35_099);
    expect(state.captures).toEqual([expect.objectContaining({ amount: 35_099, refunded: 35_099 })]);
  });

  it("spreads a refund over two captures, oldest first", async () => {
    const { paypal } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "paypal", authorized: 10_000 });
    await capture(tender.providerReference, "30.00");
    await capture(tender.providerReference, "50.00");
    const captured = { ...tender, captured: 8_000 };

    expect(await paypal.refund(captured, 2_000, uniqueTag())).toMatchObject({ status: "succeeded" });
    expect(await paypal.refund({ ...captured, refunded: 2_000 }, 4_000, uniqueTag())).toMatchObject({ status: "succeeded" });

    const state = await paymentState(fake, "paypal", tender.providerReference);
    expect(state.captures.map((c) => [c.amount, c.refunded])).toEqual([
      [3_000, 3_000],
      [5_000, 3_000],
    ]);
  });

  it("refunds a tender whose reference is the capture itself", async () => {
    const { paypal } = fakePorts(fake);
    const registered = await registerTender(fake, { provider: "paypal", authorized: 4_000, captured: 4_000 });
    const captureId = (await paymentState(fake, "paypal", registered.providerReference)).captures[0]!.id;

    const result = await paypal.refund({ ...registered, providerReference: captureId }, 4_000, uniqueTag());

    expect(result).toMatchObject({ status: "succeeded" });
    expect((await paymentState(fake, "paypal", registered.providerReference)).refunded).toBe(4_000);
  });

  it("refunds once for the same PayPal-Request-Id twice", async () => {
    const { paypal } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "paypal", authorized: 5_000, captured: 5_000 });
    const key = uniqueTag();

    const first = await paypal.refund(tender, 1_000, key);
    const second = await paypal.refund(tender, 1_000, key);

    expect(second).toEqual(first);
    const state = await paymentState(fake, "paypal", tender.providerReference);
    expect(state.operations).toHaveLength(1);
    expect(state.refunded).toBe(1_000);
  });

  it("reports a decline as permanent", async () => {
    const { paypal } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "paypal", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "paypal", operation: "refund", reference: tender.providerReference, fault: "decline" });

    expect(await paypal.refund(tender, 1_000, uniqueTag())).toMatchObject({
      status: "declined",
      code: "TRANSACTION_REFUSED",
    });
  });

  it("retries 500s on the void and then succeeds once", async () => {
    const { paypal } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "paypal", authorized: 5_000 });
    await injectFault(fake, { provider: "paypal", operation: "void", reference: tender.providerReference, fault: "http_500", count: 2 });

    expect(await paypal.reverse(tender, 5_000, uniqueTag())).toMatchObject({ status: "succeeded" });
    expect((await paymentState(fake, "paypal", tender.providerReference)).operations).toHaveLength(1);
  });

  it("reports a provider that never answers as a transient timeout", async () => {
    const { paypal } = fakePorts(fake, { PAYMENT_PROVIDER_TIMEOUT_MS: "150" });
    const tender = await registerTender(fake, { provider: "paypal", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "paypal", operation: "refund", reference: tender.providerReference, fault: "timeout", count: 3 });

    expect(await paypal.refund(tender, 1_000, uniqueTag())).toMatchObject({ status: "unknown", code: "timeout" });
    expect((await paymentState(fake, "paypal", tender.providerReference)).refunded).toBe(0);
  });

  it("is refused by the provider beyond the capture's refundable amount", async () => {
    const { paypal } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "paypal", authorized: 5_000, captured: 5_000 });
    expect(await paypal.refund(tender, 3_000, uniqueTag())).toMatchObject({ status: "succeeded" });

    // A stale tender that missed the first refund asks the capture for more than it has left.
    const result = await paypal.refund(tender, 4_000, uniqueTag());

    expect(result).toMatchObject({ status: "declined", code: "REFUND_AMOUNT_EXCEEDED" });
    expect((await paymentState(fake, "paypal", tender.providerReference)).refunded).toBe(3_000);
  });

  it("refuses a refund the order's captures cannot cover", async () => {
    const { paypal } = fakePorts(fake);
    const registered = await registerTender(fake, { provider: "paypal", authorized: 5_000, captured: 5_000 });
    const stale = { ...registered, authorized: 9_000, captured: 9_000 };

    expect(await paypal.refund(stale, 6_000, uniqueTag())).toMatchObject({ status: "declined", code: "amount_exceeds_captures" });
  });
});

describe("planRefund", () => {
  it("skips what earlier refunds took and fills captures oldest first", () => {
    const captures = [
      { id: "A", amount: 3_000 },
      { id: "B", amount: 5_000 },
    ];
    expect(planRefund(captures, 0, 2_000)).toEqual([{ captureId: "A", amount: 2_000 }]);
    expect(planRefund(captures, 2_000, 4_000)).toEqual([
      { captureId: "A", amount: 1_000 },
      { captureId: "B", amount: 3_000 },
    ]);
    expect(planRefund(captures, 6_000, 2_000)).toEqual([{ captureId: "B", amount: 2_000 }]);
    expect(planRefund(captures, 6_000, 2_001)).toBeNull();
  });
});
