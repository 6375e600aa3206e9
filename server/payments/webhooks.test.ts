import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_DEFAULTS } from "@/server/config/payment-fake-defaults";
import type { ProviderFake } from "@/fakes/payments/server";
import type { WebhookDelivery } from "@/fakes/payments/store";
import { fakeConfig, fakePorts, injectFault, registerTender, startFake, startWebhookSink, uniqueTag } from "./test-support";
import { verifyPaypalWebhook, verifyStripeSignature, WebhookVerificationError } from "./webhooks";

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

const secret = FAKE_DEFAULTS.stripeWebhookSecret;

describe("Stripe webhook verification", () => {
  it("accepts the fake's signed refund.created and maps it to a refund event", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });
    const result = await stripe.refund(tender, 1_200, uniqueTag());
    const refundId = result.status === "succeeded" ? result.providerReference : "";

    const webhook = await sink.waitFor((r) => r.path === "/api/webhooks/stripe" && r.body.includes(refundId));
    const event = verifyStripeSignature(webhook.body, String(webhook.headers["stripe-signature"]), secret);

    expect(event).toMatchObject({
      provider: "stripe",
      providerReference: refundId,
      paymentReference: tender.providerReference,
      operation: "refund",
      success: true,
      amount: 1_200,
    });
    expect(event.eventId).toMatch(/^evt_/);
  });

  it("maps payment_intent.canceled to a reversal", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 4_000 });
    await stripe.reverse(tender, 4_000, uniqueTag());

    const webhook = await sink.waitFor((r) => r.path === "/api/webhooks/stripe" && r.body.includes("payment_intent.canceled") && r.body.includes(tender.providerReference));
    const event = verifyStripeSignature(webhook.body, String(webhook.headers["stripe-signature"]), secret);

    expect(event).toMatchObject({ operation: "reversal", providerReference: tender.providerReference, success: true, amount: 4_000 });
  });

  it("rejects a forged signature, an altered body and a wrong secret", async () => {
    const { stripe } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "stripe", authorized: 5_000, captured: 5_000 });
    const result = await stripe.refund(tender, 700, uniqueTag());
    const refundId = result.status === "succeeded" ? result.providerReference : "";
    const webhook = await sink.waitFor((r) => r.path === "/api/webhooks/stripe" && r.body.includes(refundId));
    const header = String(webhook.headers["stripe-signature"]);

    expect(() => verifyStripeSignature(webhook.body.replace('"amount":700', '"amount":70000'), header, secret)).toThrow(WebhookVerificationError);
    expect(() => verifyStripeSignature(webhook.body, header, "whsec_someone_else")).toThrow(WebhookVerificationError);
    const forged = header.replace(/v1=[0-9a-f]+/, `v1=${"0".repeat(64)}`);
    expect(() => verifyStripeSignature(webhook.body, forged, secret)).toThrow(WebhookVerificationError);
    expect(() => verifyStripeSignature(webhook.body, undefined, secret)).toThrow(WebhookVerificationError);
  });
});

describe("PayPal webhook verification through /v1/notifications/verify-webhook-signature", () => {
  it("accepts the fake's PAYMENT.CAPTURE.REFUNDED and rejects it once altered", async () => {
    const { paypal } = fakePorts(fake);
    const config = fakeConfig(fake).paypal;
    const tender = await registerTender(fake, { provider: "paypal", authorized: 5_000, captured: 5_000 });
    const result = await paypal.refund(tender, 2_550, uniqueTag());
    const refundId = result.status === "succeeded" ? result.providerReference : "";

    const webhook = await sink.waitFor((r) => r.path === "/api/webhooks/paypal" && r.body.includes(refundId));
    const headers = Object.fromEntries(Object.entries(webhook.headers).map(([k, v]) => [k, String(v)]));
    const event = await verifyPaypalWebhook({ headers, rawBody: webhook.body }, config);

    expect(event).toMatchObject({ provider: "paypal", providerReference: refundId, operation: "refund", success: true, amount: 2_550 });
    await expect(verifyPaypalWebhook({ headers, rawBody: webhook.body.replace('"25.50"', '"2550.00"') }, config)).rejects.toThrow(
      WebhookVerificationError,
    );
    await expect(
      verifyPaypalWebhook({ headers: { ...headers, "paypal-transmission-sig": "Zm9yZ2Vk" }, rawBody: webhook.body }, config),
    ).rejects.toThrow(WebhookVerificationError);
  });
});

describe("webhook faults", () => {
  async function deliveries(): Promise<WebhookDelivery[]> {
    return (await fetch(`${fake.url}/_fake/webhooks`).then((r) => r.json())) as WebhookDelivery[];
  }

  it("webhook_never: the operation happens, the notification is never sent", async () => {
    const { adyen } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "adyen", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "adyen", operation: "refund", reference: tender.providerReference, fault: "webhook_never" });

    const result = await adyen.refund(tender, 1_000, uniqueTag());
    const psp = result.status === "succeeded" ? result.providerReference : "unknown";

    const delivery = (await deliveries()).find((d) => d.body.includes(`"pspReference":"${psp}"`));
    expect(delivery).toMatchObject({ status: "suppressed", attempts: 0 });
    expect(sink.received.some((r) => r.body.includes(`"pspReference":"${psp}"`))).toBe(false);
  });

  it("webhook_delay: the notification arrives, but only after the delay", async () => {
    const { adyen } = fakePorts(fake);
    const tender = await registerTender(fake, { provider: "adyen", authorized: 5_000, captured: 5_000 });
    await injectFault(fake, { provider: "adyen", operation: "refund", reference: tender.providerReference, fault: "webhook_delay", ms: 300 });

    const started = Date.now();
    const result = await adyen.refund(tender, 1_000, uniqueTag());
    const psp = result.status === "succeeded" ? result.providerReference : "unknown";
    await sink.waitFor((r) => r.body.includes(`"pspReference":"${psp}"`));

    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
