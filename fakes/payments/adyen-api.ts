import { createHmac } from "node:crypto";
import { json, positiveInt, type ProviderApi, type Route, type RouteContext, type RouteResult } from "./routes";
import { newId, now, type FakePayment } from "./store";

/*
 * The subset of Adyen's Checkout modifications API the adapter uses (served over HTTPS). Every
 * modification is answered `received` and confirmed later by a notification signed the way Adyen
 * signs them: HMAC-SHA256 with the hex-decoded key over
 * pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success.
 * The fake applies a modification when it accepts it; error codes it invents are prefixed FAKE_.
 */

const adyenError = (status: number, errorCode: string, message: string, errorType = "validation"): RouteResult =>
  json(status, { status, errorCode, message, errorType });

export function adyenSignature(hexKey: string, item: Record<string, unknown>): string {
  const amount = item.amount as { value: number; currency: string };
  const signed = [
    item.pspReference,
    item.originalReference ?? "",
    item.merchantAccountCode,
    item.merchantReference,
    amount.value,
    amount.currency,
    item.eventCode,
    item.success,
  ].join(":");
  return createHmac("sha256", Buffer.from(hexKey, "hex")).update(signed, "utf8").digest("base64");
}

function notification(ctx: RouteContext, p: FakePayment, eventCode: string, pspReference: string, value: number): RouteResult["webhook"] {
  const { webhookBaseUrl, adyenHmacKey } = ctx.settings;
  if (!webhookBaseUrl) return undefined;
  return {
    path: "/api/webhooks/adyen",
    build: () => {
      const item: Record<string, unknown> = {
        amount: { currency: p.currency, value },
        eventCode,
        eventDate: now(),
        merchantAccountCode: String(ctx.body.merchantAccount),
        merchantReference: String(ctx.body.reference ?? ""),
        originalReference: p.reference,
        pspReference,
        reason: "",
        success: "true",
      };
      item.additionalData = { hmacSignature: adyenSignature(adyenHmacKey, item) };
      const body = JSON.stringify({ live: "false", notificationItems: [{ NotificationRequestItem: item }] });
      return { body, headers: { "content-type": "application/json" } };
    },
  };
}

type Modification = (ctx: RouteContext, p: FakePayment, pspReference: string) => RouteResult | { eventCode: string; value: number };

function modification(action: string, path: string, category: Route["category"], apply: Modification): Route {
  return {
    method: "POST",
    pattern: new RegExp(`^/v\\d+/payments/([^/]+)/${path}$`),
    action,
    category,
    handle: (ctx) => {
      const p = ctx.store.find("adyen", ctx.params[0]!);
      if (!p) return adyenError(422, "FAKE_UNKNOWN_PSP_REFERENCE", `Original pspReference ${ctx.params[0]} is not known`);
      if (!ctx.body.merchantAccount) return adyenError(422, "FAKE_MISSING_MERCHANT_ACCOUNT", "Missing merchantAccount");
      const amount = ctx.body.amount as { currency?: string; value?: unknown } | undefined;
      if (amount && amount.currency !== p.currency) return adyenError(422, "FAKE_CURRENCY_MISMATCH", `Currency must be ${p.currency}`);
      const pspReference = newId("", 8);
      const applied = apply(ctx, p, pspReference);
      if ("response" in applied) return applied;
      return {
        response: {
          status: 201,
          body: { merchantAccount: ctx.body.merchantAccount, paymentPspReference: p.reference, pspReference, reference: ctx.body.reference, amount, status: "received" },
        },
        webhook: notification(ctx, p, applied.eventCode, pspReference, applied.value),
        reference: p.reference,
      };
    },
  };
}

function record(ctx: RouteContext, p: FakePayment, id: string, type: "reversal" | "refund" | "capture", action: string, amount: number) {
  ctx.store.record(p, { id, type, action, amount, idempotencyKey: ctx.idempotencyKey, metadata: { reference: String(ctx.body.reference ?? "") } });
}

const routes: Route[] = [
  modification("cancel", "cancels", "reversal", (ctx, p, psp) => {
    const released = p.authorized - p.captured - p.reversed;
    if (p.status !== "Authorised" || released === 0) return adyenError(422, "FAKE_INVALID_STATE", `Payment is ${p.status}; nothing left to cancel`);
    record(ctx, p, psp, "reversal", "cancel", released);
    p.reversed += released;
    p.status = "Cancelled";
    return { eventCode: "CANCELLATION", value: released };
  }),
  modification("amount_update", "amountUpdates", "reversal", (ctx, p, psp) => {
    const value = positiveInt((ctx.body.amount as { value?: unknown } | undefined)?.value);
    const current = p.authorized - p.reversed;
    // Real Adyen also allows increases; the fake models the decrease a reversal asks for.
    if (value === undefined || value < p.captured || value >= current) {
      return adyenError(422, "137", `Invalid amount specified: the new amount must lie in [${p.captured}, ${current})`);
    }
    if (p.status !== "Authorised") return adyenError(422, "FAKE_INVALID_STATE", `Payment is ${p.status}`);
    record(ctx, p, psp, "reversal", "amount_update", current - value);
    p.reversed += current - value;
    return { eventCode: "AUTHORISATION_ADJUSTMENT", value };
  }),
  modification("capture", "captures", "capture", (ctx, p, psp) => {
    const value = positiveInt((ctx.body.amount as { value?: unknown } | undefined)?.value);
    if (value === undefined || value > p.authorized - p.captured - p.reversed) return adyenError(422, "137", "Invalid amount specified");
    record(ctx, p, psp, "capture", "capture", value);
    p.captured += value;
    return { eventCode: "CAPTURE", value };
  }),
  modification("refund", "refunds", "refund", (ctx, p, psp) => {
    const value = positiveInt((ctx.body.amount as { value?: unknown } | undefined)?.value);
    const refundable = p.captured - p.refunded;
    if (value === undefined || value > refundable) {
      return adyenError(422, "FAKE_AMOUNT_EXCEEDED", `Refund of ${String(value)} exceeds the ${refundable} not yet refunded`);
    }
    record(ctx, p, psp, "refund", "refund", value);
    p.refunded += value;
    return { eventCode: "REFUND", value };
  }),
];

export const adyenApi: ProviderApi = {
  provider: "adyen",
  routes,
  idempotencyHeader: "idempotency-key",
  isAuthorized: (headers) => Boolean(headers["x-api-key"]),
  errors: {
    serverError: () => adyenError(500, "FAKE_INTERNAL", "Internal error (provider fake)", "internal").response,
    decline: () => adyenError(422, "FAKE_REFUSED", "Refused", "validation").response,
    idempotencyConflict: () => adyenError(422, "FAKE_IDEMPOTENCY_KEY_REUSED", "Idempotency key already used for a different request").response,
    unauthorized: () => adyenError(401, "000", "HTTP Status Response - Unauthorized", "security").response,
  },
};
