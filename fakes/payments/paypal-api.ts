import { createHmac } from "node:crypto";
import { crc32 } from "node:zlib";
import { formatAmount, parseAmount } from "../../server/domain/money";
import { json, type ProviderApi, type Route, type RouteContext, type RouteResult } from "./routes";
import { newId, now, type FakeCapture, type FakeOperation, type FakePayment } from "./store";

/*
 * The subset of PayPal's REST API the adapter uses: OAuth, authorization void/reauthorize/capture,
 * the order view (to find an authorization's captures), capture refunds and webhook verification.
 * PayPal signs webhooks with a certificate; the fake signs with an HMAC only its own
 * /v1/notifications/verify-webhook-signature knows, which is how real PayPal is verified too.
 * A refund keeps the caller's `invoice_id` and `custom_id`, shown on the refund, in its webhook and
 * in the order's `payments.refunds` (how a caller finds a refund whose answer it never got).
 */

const TOKEN_PREFIX = "A21-PROVIDER-FAKE-";

const paypalError = (status: number, name: string, issue: string, description: string): RouteResult =>
  json(status, { name, message: description, debug_id: newId("", 6).toLowerCase(), details: [{ issue, description }] });

const unprocessable = (issue: string, description: string) => paypalError(422, "UNPROCESSABLE_ENTITY", issue, description);
const notFound = (what: string) =>
  paypalError(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", `Specified resource ID ${what} does not exist.`);

const money = (p: FakePayment, minor: number) => ({ currency_code: p.currency, value: formatAmount(minor, p.currency) });

export function paypalSignature(secret: string, transmissionId: string, time: string, webhookId: string, body: string): string {
  const signed = `${transmissionId}|${time}|${webhookId}|${crc32(body)}`;
  return createHmac("sha256", secret).update(signed).digest("base64");
}

function authorization(p: FakePayment, id: string) {
  const live = id === p.authorizationId;
  return {
    id,
    status: live ? p.status : "VOIDED",
    amount: money(p, p.authorized - p.reversed),
    supplementary_data: { related_ids: { order_id: p.orderId } },
    create_time: now(),
  };
}

function capture(p: FakePayment, c: FakeCapture) {
  const status = c.refunded === 0 ? "COMPLETED" : c.refunded === c.amount ? "REFUNDED" : "PARTIALLY_REFUNDED";
  return { id: c.id, status, amount: money(p, c.amount), create_time: c.createdAt };
}

function refundView(p: FakePayment, op: FakeOperation, captureId: string) {
  return {
    id: op.id,
    status: "COMPLETED",
    amount: money(p, op.amount),
    ...(op.metadata?.invoice_id ? { invoice_id: op.metadata.invoice_id } : {}),
    ...(op.metadata?.custom_id ? { custom_id: op.metadata.custom_id } : {}),
    create_time: op.at,
    links: [{ rel: "up", method: "GET", href: `/v2/payments/captures/${captureId}` }],
  };
}

function findAuthorization(ctx: RouteContext): { p: FakePayment; id: string; live: boolean } | RouteResult {
  const id = ctx.params[0]!;
  const p = ctx.store.find("paypal", id);
  if (!p || (p.authorizationId !== id && !p.retiredAuthorizationIds.includes(id))) return notFound(id);
  return { p, id, live: p.authorizationId === id };
}

/** The authorization a void, reauthorize or capture acts on, while it is open, with the amount still authorized; or PayPal's refusal. */
function openAuthorization(ctx: RouteContext): { p: FakePayment; id: string; remaining: number } | RouteResult {
  const found = findAuthorization(ctx);
  if (!("p" in found)) return found;
  const { p, id, live } = found;
  if (!live) return unprocessable("AUTHORIZATION_VOIDED", "A reauthorized or voided authorization cannot be used.");
  if (p.status === "VOIDED") return unprocessable("PREVIOUSLY_VOIDED", "Authorization has been previously voided.");
  if (p.status === "CAPTURED") return unprocessable("PREVIOUSLY_CAPTURED", "Authorization has been previously captured.");
  return { p, id, remaining: p.authorized - p.captured - p.reversed };
}

function parseMoney(p: FakePayment, value: unknown): number | RouteResult {
  const m = value as { currency_code?: string; value?: string } | undefined;
  if (m?.currency_code !== p.currency) return unprocessable("CURRENCY_MISMATCH", `Currency must be ${p.currency}.`);
  try {
    return parseAmount(String(m.value), p.currency);
  } catch {
    return paypalError(400, "INVALID_REQUEST", "INVALID_PARAMETER_VALUE", `Invalid amount ${String(m.value)}.`);
  }
}

function webhook(ctx: RouteContext, eventType: string, resource: unknown): RouteResult["webhook"] {
  const { webhookBaseUrl, paypalWebhookId, paypalSigningSecret } = ctx.settings;
  if (!webhookBaseUrl) return undefined;
  const body = JSON.stringify({
    id: newId("WH-", 10),
    event_version: "1.0",
    create_time: now(),
    resource_type: eventType.startsWith("PAYMENT.CAPTURE") ? "refund" : "authorization",
    event_type: eventType,
    resource,
  });
  return {
    path: "/api/webhooks/paypal",
    build: () => {
      const transmissionId = newId("", 16).toLowerCase();
      const time = now();
      return {
        body,
        headers: {
          "content-type": "application/json",
          "paypal-transmission-id": transmissionId,
          "paypal-transmission-time": time,
          "paypal-transmission-sig": paypalSignature(paypalSigningSecret, transmissionId, time, paypalWebhookId, body),
          "paypal-cert-url": "https://provider-fake.invalid/cert.pem",
          "paypal-auth-algo": "SHA256withRSA",
        },
      };
    },
  };
}

const routes: Route[] = [
  {
    method: "POST",
    pattern: /^\/v1\/oauth2\/token$/,
    action: "token",
    category: "auth",
    handle: () =>
      json(200, { access_token: newId(TOKEN_PREFIX, 16), token_type: "Bearer", expires_in: 32400, scope: "https://uri.paypal.com/services/payments/payment" }),
  },
  {
    method: "GET",
    pattern: /^\/v2\/payments\/authorizations\/([^/]+)$/,
    action: "get_authorization",
    category: "read",
    handle: (ctx) => {
      const found = findAuthorization(ctx);
      return "p" in found ? json(200, authorization(found.p, found.id)) : found;
    },
  },
  {
    method: "GET",
    pattern: /^\/v2\/checkout\/orders\/([^/]+)$/,
    action: "get_order",
    category: "read",
    handle: (ctx) => {
      const p = ctx.store.find("paypal", ctx.params[0]!);
      if (!p || p.orderId !== ctx.params[0]) return notFound(ctx.params[0]!);
      const authorizations = [...p.retiredAuthorizationIds, p.authorizationId!].map((id) => authorization(p, id));
      const captures = p.captures.map((c) => capture(p, c));
      const refunds = p.operations.filter((o) => o.type === "refund").map((o) => refundView(p, o, o.metadata?.capture_id ?? ""));
      return json(200, { id: p.orderId, intent: "AUTHORIZE", status: "COMPLETED", purchase_units: [{ reference_id: "default", payments: { authorizations, captures, refunds } }] });
    },
  },
  {
    method: "POST",
    pattern: /^\/v2\/payments\/authorizations\/([^/]+)\/void$/,
    action: "void",
    category: "reversal",
    handle: (ctx) => {
      const found = openAuthorization(ctx);
      if (!("p" in found)) return found;
      const { p, remaining: released } = found;
      ctx.store.record(p, { id: newId("VOID-", 6), type: "reversal", action: "void", amount: released, idempotencyKey: ctx.idempotencyKey });
      p.reversed += released;
      p.status = "VOIDED";
      const body = authorization(p, found.id);
      const representation = String(ctx.headers.prefer ?? "").includes("return=representation");
      return {
        response: representation ? { status: 200, body } : { status: 204, body: undefined },
        webhook: webhook(ctx, "PAYMENT.AUTHORIZATION.VOIDED", body),
        reference: p.reference,
      };
    },
  },
  {
    method: "POST",
    pattern: /^\/v2\/payments\/authorizations\/([^/]+)\/reauthorize$/,
    action: "reauthorize",
    category: "reversal",
    handle: (ctx) => {
      const found = openAuthorization(ctx);
      if (!("p" in found)) return found;
      const { p, remaining } = found;
      const amount = parseMoney(p, ctx.body.amount);
      if (typeof amount !== "number") return amount;
      // Real PayPal allows up to 115 %; the fake models only the decrease the adapter asks for.
      if (amount <= 0 || amount > remaining) {
        return unprocessable("REAUTHORIZATION_AMOUNT_EXCEEDED", `Reauthorization amount must be between 0 and ${formatAmount(remaining, p.currency)}.`);
      }
      const id = newId("", 8);
      ctx.store.record(p, { id, type: "reversal", action: "reauthorize", amount: remaining - amount, idempotencyKey: ctx.idempotencyKey });
      p.reversed += remaining - amount;
      p.retiredAuthorizationIds.push(found.id);
      p.authorizationId = id;
      ctx.store.index(p, id);
      return json(201, { id, status: "CREATED", amount: money(p, amount), create_time: now() });
    },
  },
  {
    method: "POST",
    pattern: /^\/v2\/payments\/authorizations\/([^/]+)\/capture$/,
    action: "capture",
    category: "capture",
    handle: (ctx) => {
      const found = openAuthorization(ctx);
      if (!("p" in found)) return found;
      const { p, remaining } = found;
      const amount = ctx.body.amount === undefined ? remaining : parseMoney(p, ctx.body.amount);
      if (typeof amount !== "number") return amount;
      if (amount <= 0 || amount > remaining) return unprocessable("MAX_CAPTURE_AMOUNT_EXCEEDED", "Capture amount exceeds the authorized amount left.");
      const c: FakeCapture = { id: newId("", 8), amount, refunded: 0, createdAt: now() };
      ctx.store.record(p, { id: c.id, type: "capture", action: "capture", amount, idempotencyKey: ctx.idempotencyKey });
      p.captures.push(c);
      p.captured += amount;
      ctx.store.index(p, c.id);
      if (ctx.body.final_capture === true) p.reversed = p.authorized - p.captured;
      p.status = p.captured + p.reversed >= p.authorized ? "CAPTURED" : "PARTIALLY_CAPTURED";
      return json(201, { ...capture(p, c), final_capture: ctx.body.final_capture === true });
    },
  },
  {
    method: "POST",
    pattern: /^\/v2\/payments\/captures\/([^/]+)\/refund$/,
    action: "refund",
    category: "refund",
    handle: (ctx) => {
      const id = ctx.params[0]!;
      const p = ctx.store.find("paypal", id);
      const c = p?.captures.find((x) => x.id === id);
      if (!p || !c) return notFound(id);
      const refundable = c.amount - c.refunded;
      if (refundable === 0) return unprocessable("CAPTURE_FULLY_REFUNDED", "The capture has already been fully refunded.");
      const amount = ctx.body.amount === undefined ? refundable : parseMoney(p, ctx.body.amount);
      if (typeof amount !== "number") return amount;
      if (amount <= 0 || amount > refundable) {
        return unprocessable("REFUND_AMOUNT_EXCEEDED", "The refund amount must be less than or equal to the capture amount that has not yet been refunded.");
      }
      const metadata: Record<string, string> = { capture_id: id };
      if (typeof ctx.body.invoice_id === "string") metadata.invoice_id = ctx.body.invoice_id;
      if (typeof ctx.body.custom_id === "string") metadata.custom_id = ctx.body.custom_id;
      const op = ctx.store.record(p, { id: newId("", 8), type: "refund", action: "refund", amount, idempotencyKey: ctx.idempotencyKey, metadata });
      c.refunded += amount;
      p.refunded += amount;
      const refund = refundView(p, op, id);
      return { response: { status: 201, body: refund }, webhook: webhook(ctx, "PAYMENT.CAPTURE.REFUNDED", refund), reference: p.reference };
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/notifications\/verify-webhook-signature$/,
    action: "verify_webhook",
    category: "read",
    handle: (ctx) => {
      const b = ctx.body as Record<string, string | undefined>;
      const expected = paypalSignature(ctx.settings.paypalSigningSecret, b.transmission_id ?? "", b.transmission_time ?? "", b.webhook_id ?? "", JSON.stringify(ctx.body.webhook_event));
      const ok = b.webhook_id === ctx.settings.paypalWebhookId && b.transmission_sig === expected;
      return json(200, { verification_status: ok ? "SUCCESS" : "FAILURE" });
    },
  },
];

export const paypalApi: ProviderApi = {
  provider: "paypal",
  routes,
  idempotencyHeader: "paypal-request-id",
  isAuthorized: (headers) => {
    const auth = headers.authorization ?? "";
    return auth.startsWith("Basic ") || auth.startsWith(`Bearer ${TOKEN_PREFIX}`);
  },
  errors: {
    serverError: () => paypalError(500, "INTERNAL_SERVER_ERROR", "INTERNAL_SERVICE_ERROR", "An internal server error has occurred.").response,
    decline: () => unprocessable("TRANSACTION_REFUSED", "The request was refused.").response,
    // Real PayPal answers a reused PayPal-Request-Id with the first result; the fake is stricter.
    idempotencyConflict: () => unprocessable("PAYPAL_REQUEST_ID_PREVIOUSLY_USED", "The PayPal-Request-Id was already used for a different request.").response,
    unauthorized: () => ({ status: 401, body: { error: "invalid_token", error_description: "Token signature verification failed" } }),
  },
};
