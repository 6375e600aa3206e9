import { createHmac } from "node:crypto";
import { json, positiveInt, type ProviderApi, type Route, type RouteContext, type RouteResult } from "./routes";
import { newId, type FakeOperation, type FakePayment } from "./store";

/*
 * The subset of the Stripe API the adapter uses. A partial reversal is recorded in the
 * PaymentIntent's metadata (`reversed_amount`, the cumulative uncaptured amount that will never be
 * captured): to real Stripe that is only metadata; the fake also enforces it at capture time, so a
 * capture step that forgets a reversal fails in tests instead of over-charging. A refund keeps the
 * caller's `metadata`, echoed in its answer, its webhook and `GET /v1/refunds?payment_intent=…`
 * (what `stripe.refunds.list` calls), so a caller can find a refund by its own key.
 */

const stripeError = (status: number, error: Record<string, unknown>): RouteResult => json(status, { error });

const invalid = (message: string, code?: string, param?: string): RouteResult =>
  stripeError(400, { type: "invalid_request_error", message, code, param });

function paymentIntent(p: FakePayment) {
  return {
    id: p.reference,
    object: "payment_intent",
    amount: p.authorized,
    amount_capturable: p.status === "requires_capture" ? p.authorized - p.captured : 0,
    amount_received: p.captured,
    capture_method: "manual",
    currency: p.currency.toLowerCase(),
    livemode: false,
    metadata: p.metadata,
    status: p.status,
  };
}

function refundObject(p: FakePayment, op: FakeOperation) {
  return { id: op.id, object: "refund", amount: op.amount, currency: p.currency.toLowerCase(), payment_intent: p.reference, status: "succeeded", metadata: op.metadata ?? {}, created: Math.floor(Date.parse(op.at) / 1000) };
}

function find(ctx: RouteContext): FakePayment | RouteResult {
  const id = ctx.params[0] ?? String(ctx.body.payment_intent ?? ctx.query.get("payment_intent") ?? "");
  return (
    ctx.store.find("stripe", id) ??
    stripeError(404, {
      type: "invalid_request_error",
      code: "resource_missing",
      message: `No such payment_intent: '${id}'`,
      param: "intent",
    })
  );
}

function unexpectedState(p: FakePayment, action: string): RouteResult {
  return invalid(
    `You cannot ${action} this PaymentIntent because it has a status of ${p.status}.`,
    "payment_intent_unexpected_state",
  );
}

function event(ctx: RouteContext, type: string, object: unknown): RouteResult["webhook"] {
  const { webhookBaseUrl, stripeWebhookSecret } = ctx.settings;
  if (!webhookBaseUrl || !stripeWebhookSecret) return undefined;
  const payload = JSON.stringify({
    id: newId("evt_"),
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: ctx.idempotencyKey ?? null },
    data: { object },
  });
  return {
    path: "/api/webhooks/stripe",
    build: () => {
      const t = Math.floor(Date.now() / 1000);
      const v1 = createHmac("sha256", stripeWebhookSecret).update(`${t}.${payload}`).digest("hex");
      return { body: payload, headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` } };
    },
  };
}

const routes: Route[] = [
  {
    method: "GET",
    pattern: /^\/v1\/payment_intents\/([^/]+)$/,
    action: "retrieve",
    category: "read",
    handle: (ctx) => {
      const p = find(ctx);
      return "provider" in p ? json(200, paymentIntent(p)) : p;
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/([^/]+)$/,
    action: "update",
    category: "reversal",
    handle: (ctx) => {
      const p = find(ctx);
      if (!("provider" in p)) return p;
      if ("amount" in ctx.body && p.status === "requires_capture") {
        return invalid(
          "This PaymentIntent's amount could not be updated because it has a status of requires_capture. " +
            "You may only update the amount of a PaymentIntent with one of the following statuses: " +
            "requires_payment_method, requires_confirmation, requires_action.",
          "payment_intent_unexpected_state",
        );
      }
      const metadata = (ctx.body.metadata ?? {}) as Record<string, string>;
      if (metadata.reversed_amount !== undefined) {
        const total = Number(metadata.reversed_amount);
        if (!Number.isSafeInteger(total) || total < p.reversed || total > p.authorized - p.captured) {
          return invalid(
            `metadata[reversed_amount]=${metadata.reversed_amount} must lie between ${p.reversed} and ${p.authorized - p.captured}`,
            "parameter_invalid_integer",
            "metadata[reversed_amount]",
          );
        }
        if (total > p.reversed && p.status !== "requires_capture") return unexpectedState(p, "reduce");
        if (total > p.reversed) {
          ctx.store.record(p, {
            id: newId("rev_"),
            type: "reversal",
            action: "update",
            amount: total - p.reversed,
            idempotencyKey: ctx.idempotencyKey,
          });
          p.reversed = total;
        }
      }
      for (const [key, value] of Object.entries(metadata)) {
        if (value === "") delete p.metadata[key];
        else p.metadata[key] = String(value);
      }
      return json(200, paymentIntent(p));
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
    action: "cancel",
    category: "reversal",
    handle: (ctx) => {
      const p = find(ctx);
      if (!("provider" in p)) return p;
      if (p.status !== "requires_capture") return unexpectedState(p, "cancel");
      const released = p.authorized - p.captured - p.reversed;
      ctx.store.record(p, { id: newId("rev_"), type: "reversal", action: "cancel", amount: released, idempotencyKey: ctx.idempotencyKey });
      p.reversed += released;
      p.status = "canceled";
      const body = { ...paymentIntent(p), cancellation_reason: ctx.body.cancellation_reason ?? null };
      return { response: { status: 200, body }, webhook: event(ctx, "payment_intent.canceled", body), reference: p.reference };
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/capture$/,
    action: "capture",
    category: "capture",
    handle: (ctx) => {
      const p = find(ctx);
      if (!("provider" in p)) return p;
      if (p.status !== "requires_capture") return unexpectedState(p, "capture");
      const capturable = p.authorized - p.captured - p.reversed;
      const amount = ctx.body.amount_to_capture === undefined ? capturable : positiveInt(ctx.body.amount_to_capture);
      if (amount === undefined || amount > capturable) {
        return invalid(`amount_to_capture must be a positive integer up to ${capturable}`, "amount_too_large", "amount_to_capture");
      }
      ctx.store.record(p, { id: newId("ch_"), type: "capture", action: "capture", amount, idempotencyKey: ctx.idempotencyKey });
      p.captured += amount;
      if (ctx.body.final_capture !== "false") {
        p.reversed = p.authorized - p.captured;
        p.status = "succeeded";
      }
      return json(200, paymentIntent(p));
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/refunds$/,
    action: "refund",
    category: "refund",
    handle: (ctx) => {
      const p = find(ctx);
      if (!("provider" in p)) return p;
      const unrefunded = p.captured - p.refunded;
      if (unrefunded === 0) {
        return invalid(`Charge for PaymentIntent ${p.reference} has already been refunded or was never captured.`, "charge_already_refunded");
      }
      const amount = ctx.body.amount === undefined ? unrefunded : positiveInt(ctx.body.amount);
      if (amount === undefined || amount > unrefunded) {
        return invalid(
          `Refund amount (${String(ctx.body.amount)}) is greater than unrefunded amount on charge (${unrefunded})`,
          "amount_too_large",
          "amount",
        );
      }
      const metadata = Object.fromEntries(Object.entries((ctx.body.metadata ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
      const op = ctx.store.record(p, { id: newId("re_"), type: "refund", action: "refund", amount, idempotencyKey: ctx.idempotencyKey, metadata });
      p.refunded += amount;
      const refund = refundObject(p, op);
      return { response: { status: 200, body: refund }, webhook: event(ctx, "refund.created", refund), reference: p.reference };
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/refunds$/,
    action: "list_refunds",
    category: "read",
    handle: (ctx) => {
      const p = find(ctx);
      if (!("provider" in p)) return p;
      const data = p.operations.filter((o) => o.type === "refund").map((o) => refundObject(p, o)).reverse();
      return json(200, { object: "list", url: "/v1/refunds", has_more: false, data });
    },
  },
];

export const stripeApi: ProviderApi = {
  provider: "stripe",
  routes,
  idempotencyHeader: "idempotency-key",
  isAuthorized: (headers) => /^Bearer sk_/.test(headers.authorization ?? ""),
  errors: {
    serverError: () => ({ status: 500, body: { error: { type: "api_error", message: "An unknown error occurred (provider fake)" } } }),
    decline: () => ({
      status: 402,
      body: { error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." } },
    }),
    idempotencyConflict: () => ({
      status: 400,
      body: {
        error: {
          type: "idempotency_error",
          message: "Keys for idempotent requests can only be used with the same parameters they were first used with.",
        },
      },
    }),
    unauthorized: () => ({ status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided" } } }),
  },
};
