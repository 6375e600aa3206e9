import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_DEFAULTS } from "@/server/config/payment-fake-defaults";
import type { ProviderFake } from "@/fakes/payments/server";
import {
  fakePorts,
  injectFault,
  paymentState,
  registerTender,
  startFake,
  startWebhookSink,
  uniqueTag,
  type ReceivedRequest,
} from "./test-support";
import { adyenNotificationItems, verifyAdyenHmac, WebhookVerificationError } from "./webhooks";

let fake: ProviderFake;
let sink: Awaited<ReturnType<typeof startWebhookSink>>;

beforeAll(async () => {
  sink = await startWebhookSink();
  fake = await startFake({ webhookBaseUrl: sink.url });
});
afterAll(async () => {
  await fake.stop();
  await sink.stop();
});

function notificationFor(pspReference: string): Promise<ReceivedRequest> {
  return sink.waitFor((r) => r.path === "/api/webhooks/adyen" && r.body.includes(`"pspReference":"${pspReference}"`));
}

function itemOf(request: ReceivedRequest) {
  const [item] = adyenNotificationItems(JSON.parse(request.body));
  return item!;
}

describe("Adyen adapter through @adyen/api-library (HTTPS to the fake)", () => {
  it("answers a refund pending; the fake then sends a REFUND notification that verifyAdyenHmac accepts", async () => {
    const { adyen } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "adyen", currency: "EUR", authorized: 35_099, captured: 35_099 });

    const result = await adyen.refund(tender, 19_485, uniqueTag());

    expect(result).toMatchObject({ status: "succeeded", awaitingConfirmation: true });
    const psp = result.status === "succeeded" ? result.providerReference : "";
    const event = verifyAdyenHmac(itemOf(await notificationFor(psp)), FAKE_DEFAULTS.adyenHmacKey);
    expect(event).toMatchObject({
      provider: "adyen",
      providerReference: psp,
      paymentReference: tender.providerReference,
      operation: "refund",
      success: true,
      amount: 19_485,
    });
    expect((await paymentState(fake, "adyen", tender.providerReference)).refunded).toBe(19_485);
  });

  it("rejects a forged or altered notification", async () => {
    const { adyen } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "adyen", authorized: 5_000, captured: 5_000 });
    const result = await adyen.refund(tender, 5_000, uniqueTag());
    const item = itemOf(await notificationFor(result.status === "succeeded" ? result.providerReference : ""));

    expect(() => verifyAdyenHmac({ ...item, amount: { ...item.amount, value: 1 } }, FAKE_DEFAULTS.adyenHmacKey)).toThrow(
      WebhookVerificationError,
    );
    expect(() => verifyAdyenHmac(item, "00".repeat(32))).toThrow(WebhookVerificationError);
    expect(() => verifyAdyenHmac({ ...item, additionalData: {} }, FAKE_DEFAULTS.adyenHmacKey)).toThrow(WebhookVerificationError);
  });

  it("cancels an uncaptured payment on a full reversal, confirmed by CANCELLATION", async () => {
    const { adyen } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "adyen", authorized: 8_000 });

    const result = await adyen.reverse(tender, 8_000, uniqueTag());

    expect(result).toMatchObject({ status: "succeeded", awaitingConfirmation: true });
    const psp = result.status === "succeeded" ? result.providerReference : "";
    const event = verifyAdyenHmac(itemOf(await notificationFor(psp)), FAKE_DEFAULTS.adyenHmacKey);
    expect(event).toMatchObject({ operation: "reversal", success: true });
    expect(itemOf(await notificationFor(psp)).eventCode).toBe("CANCELLATION");
    expect(await paymentState(fake, "adyen", tender.providerReference)).toMatchObject({ status: "Cancelled", reversed: 8_000 });
  });

  it("lowers the authorised amount on a partial reversal, confirmed by AUTHORISATION_ADJUSTMENT", async () => {
    const { adyen } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "adyen", authorized: 10_000, captured: 2_000 });

    const result = await adyen.reverse(tender, 3_000, uniqueTag());

    const psp = result.status === "succeeded" ? result.providerReference : "";
    const item = itemOf(await notificationFor(psp));
    expect(item.eventCode).toBe("AUTHORISATION_ADJUSTMENT");
    expect(verifyAdyenHmac(item, FAKE_DEFAULTS.adyenHmacKey)).toMatchObject({ operation: "reversal", amount: 7_000 });
    const state = await paymentState(fake, "adyen", tender.providerReference);
    expect(state.operations.map((o) => [o.action, o.amount])).toEqual([["amount_update", 3_000]]);
  });

  it("sends one modification for the same idempotency key twice", async () => {
    const { adyen } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "adyen", authorized: 5_000, captured: 5_000 });
    const key = uniqueTag();

    const first = await adyen.refund(tender, 1_000, key);
    const second = await adyen.refund(tender, 1_000, key);

    expect(second).toEqual(first);
    expect((await paymentState(fake, "adyen", tender.providerReference)).operations).toHaveLength(1);
  });

  it("reports a refusal as permanent and a refund beyond the captured amount as refused by the fake", async () => {
    const { adyen } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "adyen", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "adyen", operation: "refund", reference: tender.providerReference, fault: "decline" });

    expect(await adyen.refund(tender, 1_000, uniqueTag())).toMatchObject({ status: "declined", code: "FAKE_REFUSED" });
    const stale = { ...tender, authorized: 9_000, captured: 9_000 };
    expect(await adyen.refund(stale, 6_000, uniqueTag())).toMatchObject({
      status: "declined",
      code: "FAKE_AMOUNT_EXCEEDED",
    });
    expect((await paymentState(fake, "adyen", tender.providerReference)).refunded).toBe(0);
  });

  it("retries 500s and then succeeds once", async () => {
    const { adyen } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "adyen", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "adyen", operation: "refund", reference: tender.providerReference, fault: "http_500", count: 2 });

    expect(await adyen.refund(tender, 1_000, uniqueTag())).toMatchObject({ status: "succeeded", awaitingConfirmation: true });
    expect((await paymentState(fake, "adyen", tender.providerReference)).operations).toHaveLength(1);
  });

  it("reports a provider that never answers as a transient timeout", async () => {
    const { adyen } = fakePorts(fake, { PAYMENT_PROVIDER_TIMEOUT_MS: "150" });
    const tender = await registerTender(fake, { provider: "adyen", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "adyen", operation: "refund", reference: tender.providerReference, fault: "timeout", count: 3 });

    expect(await adyen.refund(tender, 1_000, uniqueTag())).toMatchObject({ status: "unknown", code: "timeout" });
  });
});
