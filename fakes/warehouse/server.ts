import { createHmac, randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import amqp from "amqplib";
import { warehouseQueues } from "../../server/config/warehouse";
import { callbackTraceHeaders, inTrace, traceOf } from "../trace";

/*
 * A Manhattan Active WM stand-in on loopback (SPEC §11) for development and tests: the app's HTTP
 * adapter talks to it exactly as to the real warehouse. It keeps every order line's units by
 * state (released, picked, packed, shipped), takes `POST /wm/inventory/unreserve` at once (202) and
 * answers later per line: units still `released` are stopped, picked/packed/shipped ones are not
 * (confirmed, partial or refused). The answer goes as a signed callback (HMAC-SHA256,
 * `X-WM-Signature: t=…,v1=…`) to the app and/or as a message on the `wm.fulfillment.updates`
 * queue. Faults as in the payment fake: slow, 5xx, never answers, duplicates. A control API
 * (`/__control/…`) sets line states and faults for tests and demos.
 *
 * Not a production module: nothing under server/ or app/ imports it; scripts and test support
 * start it.
 */

export const WAREHOUSE_FAKE_SETTINGS = {
  port: 4120,
  apiKey: "wm-fake-api-key",
  webhookSecret: "wm-fake-webhook-secret",
} as const;

export type Delivery = "callback" | "queue" | "both";

export interface LineState {
  orderId: string;
  lineId: string;
  sku: string;
  locationId: string;
  released: number;
  picked: number;
  packed: number;
  shipped: number;
}

export type FaultKind = "slow" | "error" | "never_answers" | "duplicate";

export interface Fault {
  kind: FaultKind;
  /** How many requests it applies to (then it is used up); default 1. */
  count?: number;
  /** `slow`: how long the request hangs before it is answered. */
  ms?: number;
  /** `error`: the HTTP status; default 503. */
  status?: number;
}

export interface UnreserveRecord {
  requestId: string;
  orderId: string;
  lines: { lineId: string; sku: string; locationId: string; quantity: number }[];
  receivedAt: string;
  answer: Answer | null;
  deliveries: { via: "callback" | "queue"; status: number | "published" | "failed" }[];
  /** The W3C trace context the request came with (traceparent/tracestate headers); its answer goes back with it. */
  trace: Record<string, string>;
}

interface Answer {
  messageId: string;
  requestId: string;
  orderId: string;
  outcome: "confirmed" | "partial" | "refused";
  lines: { lineId: string; requested: number; stopped: number; outcome: "confirmed" | "partial" | "refused" }[];
}

export interface WarehouseFakeSettings {
  /** Where signed callbacks go: `${callbackBaseUrl}/api/webhooks/warehouse`. Unset: no callbacks. */
  callbackBaseUrl: string | undefined;
  webhookSecret: string;
  apiKey: string;
  delivery: Delivery;
  /** RabbitMQ for `wm.fulfillment.updates`. */
  amqpUrl: string | undefined;
  /** The app's events prefix (EVENTS_PREFIX): the queue is `${queuePrefix}wm.fulfillment.updates`, as the app's consumer reads it. */
  queuePrefix: string;
  /** How long after the request the answer goes out. */
  answerDelayMs: number;
  /** Hold every answer until released (`releaseAnswers`) — to observe the wait. */
  holdAnswers: boolean;
}

export interface WarehouseFakeOptions extends Partial<WarehouseFakeSettings> {
  port?: number;
  host?: string;
}

export class WarehouseState {
  readonly lines = new Map<string, LineState>();
  readonly requests = new Map<string, UnreserveRecord>();
  faults: (Fault & { left: number })[] = [];

  key(orderId: string, lineId: string) {
    return `${orderId}/${lineId}`;
  }

  /** Sets (or creates) a line's units by state. */
  setLine(line: Partial<LineState> & { orderId: string; lineId: string }): LineState {
    const current = this.lines.get(this.key(line.orderId, line.lineId));
    const next: LineState = { sku: "SKU", locationId: "DC-1", released: 0, picked: 0, packed: 0, shipped: 0, ...current, ...line };
    this.lines.set(this.key(line.orderId, line.lineId), next);
    return next;
  }

  line(orderId: string, lineId: string): LineState | undefined {
    return this.lines.get(this.key(orderId, lineId));
  }

  addFault(fault: Fault) {
    this.faults.push({ ...fault, left: fault.count ?? 1 });
  }

  take(kind: FaultKind): (Fault & { left: number }) | undefined {
    const f = this.faults.find((x) => x.kind === kind && x.left > 0);
    if (f) f.left -= 1;
    this.faults = this.faults.filter((x) => x.left > 0);
    return f;
  }
}

export interface WarehouseFake {
  url: string;
  state: WarehouseState;
  settings: WarehouseFakeSettings;
  /** Sends the answers held while `holdAnswers` was on (or a held one by request id). */
  releaseAnswers(requestId?: string): Promise<void>;
  /** Sends a request's answer again (a duplicate delivery). */
  redeliver(requestId: string): Promise<void>;
  stop(): Promise<void>;
}

export function signBody(rawBody: string, secret: string, at = Math.floor(Date.now() / 1000)): string {
  return `t=${at},v1=${createHmac("sha256", secret).update(`${at}.${rawBody}`).digest("hex")}`;
}

export async function startWarehouseFake(options: WarehouseFakeOptions = {}): Promise<WarehouseFake> {
  const host = options.host ?? "127.0.0.1";
  const state = new WarehouseState();
  const settings: WarehouseFakeSettings = {
    callbackBaseUrl: options.callbackBaseUrl?.replace(/\/+$/, ""),
    webhookSecret: options.webhookSecret ?? WAREHOUSE_FAKE_SETTINGS.webhookSecret,
    apiKey: options.apiKey ?? WAREHOUSE_FAKE_SETTINGS.apiKey,
    delivery: options.delivery ?? "both",
    amqpUrl: options.amqpUrl,
    queuePrefix: options.queuePrefix ?? "",
    answerDelayMs: options.answerDelayMs ?? 50,
    holdAnswers: options.holdAnswers ?? false,
  };
  const held = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let channel: Promise<amqp.ConfirmChannel> | null = null;
  let connection: amqp.ChannelModel | null = null;

  async function queueChannel(): Promise<amqp.ConfirmChannel> {
    channel ??= (async () => {
      connection = await amqp.connect(settings.amqpUrl!);
      connection.on("error", () => {});
      const ch = await connection.createConfirmChannel();
      ch.on("error", () => {});
      await ch.assertQueue(warehouseQueues(settings.queuePrefix).updates, { durable: true });
      return ch;
    })().catch((error: unknown) => {
      channel = null;
      throw error;
    });
    return channel;
  }

  /** The warehouse decides once per request: units still released are stopped, the others go on. */
  function decide(record: UnreserveRecord): Answer {
    const lines = record.lines.map((l) => {
      const line = state.line(record.orderId, l.lineId) ?? state.setLine({ orderId: record.orderId, lineId: l.lineId, sku: l.sku, locationId: l.locationId, released: l.quantity });
      const stopped = Math.min(l.quantity, line.released);
      line.released -= stopped;
      const outcome = stopped === l.quantity ? "confirmed" : stopped > 0 ? "partial" : "refused";
      return { lineId: l.lineId, requested: l.quantity, stopped, outcome } as const;
    });
    const outcome = lines.every((l) => l.outcome === "confirmed") ? "confirmed" : lines.some((l) => l.stopped > 0) ? "partial" : "refused";
    return { messageId: `wm_${randomUUID()}`, requestId: record.requestId, orderId: record.orderId, outcome, lines };
  }

  function deliver(record: UnreserveRecord) {
    return inTrace(record.trace, () => deliverNow(record));
  }

  async function deliverNow(record: UnreserveRecord) {
    const answer = record.answer!;
    const body = JSON.stringify(answer);
    if (settings.delivery !== "queue" && settings.callbackBaseUrl) {
      let status: number | "failed" = "failed";
      for (let attempt = 1; attempt <= 5; attempt++) {
        try {
          const res = await fetch(`${settings.callbackBaseUrl}/api/webhooks/warehouse`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-wm-signature": signBody(body, settings.webhookSecret), ...callbackTraceHeaders(record.trace) },
            body,
          });
          status = res.status;
          await res.text();
          if (res.ok || (res.status >= 400 && res.status < 500)) break;
        } catch {
          status = "failed";
        }
        await delay(100 * attempt);
      }
      record.deliveries.push({ via: "callback", status });
    }
    if (settings.delivery !== "callback" && settings.amqpUrl) {
      try {
        const ch = await queueChannel();
        await new Promise<void>((resolve, reject) =>
          ch.sendToQueue(warehouseQueues(settings.queuePrefix).updates, Buffer.from(body), { persistent: true, contentType: "application/json", messageId: answer.messageId, headers: record.trace }, (error) =>
            error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
          ),
        );
        record.deliveries.push({ via: "queue", status: "published" });
      } catch {
        record.deliveries.push({ via: "queue", status: "failed" });
      }
    }
  }

  function schedule(record: UnreserveRecord, duplicate: boolean) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      record.answer ??= decide(record);
      if (settings.holdAnswers) {
        held.add(record.requestId);
        return;
      }
      void deliver(record).then(() => (duplicate ? deliver(record) : undefined));
    }, settings.answerDelayMs);
    timers.add(timer);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", `http://${host}`);
    const body = await readJson(req);
    if (url.pathname.startsWith("/__control/")) return control(url, req.method ?? "GET", body, res);
    if (req.headers.authorization !== `Bearer ${settings.apiKey}`) return send(res, 401, { error: "unauthorized" });
    const slow = state.take("slow");
    if (slow) await delay(slow.ms ?? 10_000);
    const failure = state.take("error");
    if (failure) return send(res, failure.status ?? 503, { error: "warehouse unavailable (injected)" });

    if (req.method === "POST" && url.pathname === "/wm/inventory/unreserve") {
      const b = body as Partial<UnreserveRecord> | null;
      if (!b || typeof b.requestId !== "string" || typeof b.orderId !== "string" || !Array.isArray(b.lines) || b.lines.length === 0) {
        return send(res, 400, { error: "requestId, orderId and lines are required" });
      }
      const existing = state.requests.get(b.requestId);
      // The same request again (a retry after a lost answer): taken, not decided twice.
      if (existing) return send(res, 202, { requestId: existing.requestId, status: "accepted" });
      const record: UnreserveRecord = { requestId: b.requestId, orderId: b.orderId, lines: b.lines, receivedAt: new Date().toISOString(), answer: null, deliveries: [], trace: traceOf(req.headers) };
      state.requests.set(record.requestId, record);
      if (!state.take("never_answers")) schedule(record, Boolean(state.take("duplicate")));
      return send(res, 202, { requestId: record.requestId, status: "accepted" });
    }
    if (req.method === "GET" && url.pathname === "/wm/inventory/status") {
      const orderIds = new Set(url.searchParams.getAll("orderId"));
      const lines = [...state.lines.values()]
        .filter((l) => orderIds.size === 0 || orderIds.has(l.orderId))
        .map((l) => ({ ...l, held: l.released + l.picked + l.packed }));
      return send(res, 200, { lines });
    }
    return send(res, 404, { error: "not found" });
  }

  async function control(url: URL, method: string, body: unknown, res: ServerResponse) {
    const b = (body ?? {}) as Record<string, unknown>;
    if (url.pathname === "/__control/lines" && method === "PUT") return send(res, 200, state.setLine(b as unknown as LineState));
    if (url.pathname === "/__control/lines" && method === "GET") return send(res, 200, { lines: [...state.lines.values()] });
    if (url.pathname === "/__control/faults" && method === "POST") {
      state.addFault(b as unknown as Fault);
      return send(res, 200, { faults: state.faults });
    }
    if (url.pathname === "/__control/faults" && method === "DELETE") {
      state.faults = [];
      return send(res, 200, { faults: [] });
    }
    if (url.pathname === "/__control/requests" && method === "GET") return send(res, 200, { requests: [...state.requests.values()] });
    if (url.pathname === "/__control/settings" && method === "POST") {
      for (const k of ["callbackBaseUrl", "delivery", "answerDelayMs", "holdAnswers"] as const) if (k in b) Object.assign(settings, { [k]: b[k] });
      return send(res, 200, { ...settings, webhookSecret: undefined, apiKey: undefined });
    }
    if (url.pathname === "/__control/release" && method === "POST") {
      await fake.releaseAnswers(typeof b.requestId === "string" ? b.requestId : undefined);
      return send(res, 200, { released: true });
    }
    return send(res, 404, { error: "not found" });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const fake: WarehouseFake = {
    url: `http://${host}:${port}`,
    state,
    settings,
    async releaseAnswers(requestId) {
      const ids = requestId ? [requestId] : [...held];
      for (const id of ids) {
        held.delete(id);
        const record = state.requests.get(id);
        if (record?.answer) await deliver(record);
      }
    },
    async redeliver(requestId) {
      const record = state.requests.get(requestId);
      if (record?.answer) await deliver(record);
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await (await channel?.catch(() => null))?.close().catch(() => {});
      await connection?.close().catch(() => {});
    },
  };
  return fake;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
