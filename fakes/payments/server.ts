import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { adyenApi } from "./adyen-api";
import { handleAdmin } from "./admin";
import { FAKE_DEFAULTS } from "../../server/config/payment-fake-defaults";
import { paypalApi } from "./paypal-api";
import type { FakeSettings, ProviderApi, Route, RouteResult } from "./routes";
import { FakeStore, type StoredResponse } from "./store";
import { stripeApi } from "./stripe-api";
import { WebhookSender } from "./webhook-sender";
import { traceOf } from "../trace";

// The fake's own TLS key (its certificate is FAKE_DEFAULTS.certPath, which the Adyen adapter trusts in fake mode).
const KEY_PATH = "fakes/payments/certs/key.pem";

export interface ProviderFakeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  adyenPort?: number;
  host?: string;
  webhookBaseUrl?: string;
  adyenHmacKey?: string;
  stripeWebhookSecret?: string;
  paypalWebhookId?: string;
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface ProviderFake {
  /** Stripe and PayPal, plain HTTP. */
  url: string;
  /** Adyen, HTTPS with the self-signed certificate under ./certs. */
  adyenUrl: string;
  state: FakeStore;
  settings: FakeSettings;
  stop(): Promise<void>;
}

export async function startProviderFake(options: ProviderFakeOptions = {}): Promise<ProviderFake> {
  const host = options.host ?? "127.0.0.1";
  const store = new FakeStore();
  const settings: FakeSettings = {
    webhookBaseUrl: options.webhookBaseUrl?.replace(/\/+$/, ""),
    adyenHmacKey: options.adyenHmacKey ?? FAKE_DEFAULTS.adyenHmacKey,
    stripeWebhookSecret: options.stripeWebhookSecret ?? FAKE_DEFAULTS.stripeWebhookSecret,
    paypalWebhookId: options.paypalWebhookId ?? FAKE_DEFAULTS.paypalWebhookId,
    paypalSigningSecret: randomBytes(32).toString("hex"),
  };
  const sender = new WebhookSender(store, () => settings.webhookBaseUrl);
  const tls = options.tls ?? {
    key: readFileSync(path.resolve(KEY_PATH)),
    cert: readFileSync(path.resolve(FAKE_DEFAULTS.certPath)),
  };
  const handler = (apis: ProviderApi[]) => (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, apis, store, settings, sender).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: String(error) } });
    });
  };
  const plain = http.createServer(handler([stripeApi, paypalApi]));
  const secure = https.createServer(tls, handler([adyenApi]));
  const port = await listen(plain, options.port ?? 0, host);
  let adyenPort: number;
  try {
    adyenPort = await listen(secure, options.adyenPort ?? 0, host);
  } catch (error) {
    await close(plain);
    throw error;
  }
  return {
    url: `http://${host}:${port}`,
    adyenUrl: `https://${host}:${adyenPort}`,
    state: store,
    settings,
    async stop() {
      sender.stop();
      await Promise.all([close(plain), close(secure)]);
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: http.Server): Promise<void> {
  // Hanging requests (the `timeout` fault) would keep close() waiting forever.
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  apis: ProviderApi[],
  store: FakeStore,
  settings: FakeSettings,
  sender: WebhookSender,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://fake.invalid");
  const raw = await readBody(req);
  if (url.pathname.startsWith("/_fake/")) {
    return send(res, handleAdmin(req.method ?? "GET", url.pathname, raw, store));
  }
  const match = findRoute(apis, req.method ?? "GET", url.pathname);
  if (!match) return send(res, { status: 404, body: { error: `provider fake: no route for ${req.method} ${url.pathname}` } });
  const { api, route, params } = match;
  if (!api.isAuthorized(req.headers, store)) return send(res, api.errors.unauthorized());
  const body = parseBody(raw);
  if (!body) return send(res, { status: 400, body: { error: "provider fake: malformed request body" } });

  const paymentId = params[0] ?? (typeof body.payment_intent === "string" ? body.payment_intent : (url.searchParams.get("payment_intent") ?? undefined));
  const reference = paymentId ? store.find(api.provider, paymentId)?.reference : undefined;
  const fault = store.takeFault(api.provider, route.action, route.category, reference, ["http_500", "timeout", "decline", "slow", "slow_answer"]);
  if (fault?.kind === "timeout") return; // never answered; the client's timeout has to deal with it
  if (fault?.kind === "slow") await delay(fault.ms);
  if (fault?.kind === "http_500") return send(res, api.errors.serverError());
  if (fault?.kind === "decline") return send(res, api.errors.decline());

  const idempotencyKey = req.method === "POST" ? header(req, api.idempotencyHeader) : undefined;
  let result: RouteResult | undefined;
  const outcome = store.idempotent(api.provider, idempotencyKey, `${req.method} ${url.pathname} ${canonical(body)}`, () => {
    result = route.handle({ params, query: url.searchParams, body, headers: req.headers, store, settings, idempotencyKey });
    return result.response;
  });
  if (outcome === "conflict") return send(res, api.errors.idempotencyConflict());
  if (result?.webhook && settings.webhookBaseUrl) {
    const webhookFault = store.takeFault(api.provider, route.action, route.category, result.reference, ["webhook_delay", "webhook_never"]);
    sender.schedule(api.provider, result.webhook, {
      delayMs: webhookFault?.kind === "webhook_delay" ? webhookFault.ms : 0,
      suppress: webhookFault?.kind === "webhook_never",
      trace: traceOf(req.headers),
    });
  }
  if (fault?.kind === "slow_answer") await delay(fault.ms);
  if (res.destroyed) return; // the caller gave up waiting
  const replayHeaders: Record<string, string> = outcome.replayed ? { "idempotent-replayed": "true" } : {};
  send(res, { ...outcome.response, headers: { ...outcome.response.headers, ...replayHeaders } });
}

function findRoute(apis: ProviderApi[], method: string, pathname: string): { api: ProviderApi; route: Route; params: string[] } | undefined {
  for (const api of apis) {
    for (const route of api.routes) {
      const m = route.method === method ? route.pattern.exec(pathname) : null;
      if (m) return { api, route, params: m.slice(1).map(decodeURIComponent) };
    }
  }
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(raw: string): Record<string, unknown> | undefined {
  if (raw.trim() === "") return {};
  if (raw.trimStart().startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return parseForm(raw);
}

/** Stripe's form encoding: `metadata[reversed_amount]=5&amount=10` → `{ metadata: { reversed_amount: "5" }, amount: "10" }`. */
export function parseForm(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const parts = key.split(/\[|\]\[|\]/).filter((part) => part !== "");
    let node = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function send(res: ServerResponse, response: StoredResponse): void {
  const headers = { "request-id": `req_${randomBytes(8).toString("hex")}`, ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  res.writeHead(response.status, { "content-type": "application/json", ...headers }).end(JSON.stringify(response.body));
}
