import type { IncomingHttpHeaders } from "node:http";
import type { FakeProvider, FakeStore, OperationCategory, StoredResponse } from "./store";

export interface FakeSettings {
  /** Where notifications go: `${webhookBaseUrl}/api/webhooks/{adyen,stripe,paypal}`. None sent without it. */
  webhookBaseUrl: string | undefined;
  adyenHmacKey: string;
  stripeWebhookSecret: string | undefined;
  paypalWebhookId: string;
  /** Stands in for PayPal's certificate-based signature; only the fake's verify endpoint knows it. */
  paypalSigningSecret: string;
}

export interface OutgoingWebhook {
  path: string;
  /** Called at delivery time, so timestamps inside signatures are fresh after a webhook_delay. */
  build(): { body: string; headers: Record<string, string> };
}

export interface RouteContext {
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  store: FakeStore;
  settings: FakeSettings;
  idempotencyKey: string | undefined;
}

export interface RouteResult {
  response: StoredResponse;
  webhook?: OutgoingWebhook;
  /** The payment the webhook concerns, for webhook faults that name a reference. */
  reference?: string;
}

export interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  action: string;
  category: OperationCategory;
  handle(ctx: RouteContext): RouteResult;
}

export interface ProviderErrors {
  serverError(): StoredResponse;
  decline(): StoredResponse;
  idempotencyConflict(): StoredResponse;
  unauthorized(): StoredResponse;
}

export interface ProviderApi {
  provider: FakeProvider;
  routes: Route[];
  errors: ProviderErrors;
  idempotencyHeader: string;
  isAuthorized(headers: IncomingHttpHeaders, store: FakeStore): boolean;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): RouteResult {
  return { response: { status, body, headers } };
}

export function positiveInt(value: unknown): number | undefined {
  const n = typeof value === "string" && /^[0-9]+$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
