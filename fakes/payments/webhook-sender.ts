import { callbackTraceHeaders, inTrace } from "../trace";
import type { OutgoingWebhook } from "./routes";
import type { FakeProvider, FakeStore, WebhookDelivery } from "./store";

// Real providers keep redelivering for hours; this covers a dev server compiling a route on first use.
const MAX_ATTEMPTS = 12;
const MAX_RETRY_DELAY_MS = 5_000;
const RETRY_BASE_MS = 200;
const DELIVERY_TIMEOUT_MS = 5_000;

/**
 * Delivers notifications like the providers do: after the API answered, retried with backoff until
 * the receiver answers 2xx, at most a few times. Every delivery is kept in `store.webhooks`.
 */
export class WebhookSender {
  private timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly store: FakeStore,
    private readonly baseUrl: () => string | undefined,
  ) {}

  /** `trace`: the traceparent/tracestate of the API request that caused it, sent along (the app's webhook span continues that trace). */
  schedule(provider: FakeProvider, hook: OutgoingWebhook, options: { delayMs: number; suppress: boolean; trace?: Record<string, string> }): void {
    const base = this.baseUrl();
    if (!base) return;
    const delivery: WebhookDelivery = {
      provider,
      url: `${base}${hook.path}`,
      body: "",
      headers: {},
      status: options.suppress ? "suppressed" : "scheduled",
      attempts: 0,
      responseStatus: undefined,
    };
    this.store.webhooks.push(delivery);
    if (options.suppress) {
      Object.assign(delivery, hook.build());
      return;
    }
    const trace = options.trace ?? {};
    this.later(options.delayMs, () => inTrace(trace, () => this.attempt(delivery, hook, trace)));
  }

  private later(ms: number, fn: () => Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, ms);
    this.timers.add(timer);
  }

  private async attempt(delivery: WebhookDelivery, hook: OutgoingWebhook, trace: Record<string, string>): Promise<void> {
    const built = hook.build();
    const { body } = built;
    const headers = { ...built.headers, ...callbackTraceHeaders(trace) };
    delivery.body = body;
    delivery.headers = headers;
    delivery.attempts += 1;
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        body,
        headers,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      delivery.responseStatus = response.status;
      await response.arrayBuffer();
      if (response.ok) {
        delivery.status = "delivered";
        return;
      }
    } catch {
      delivery.responseStatus = undefined;
    }
    if (delivery.attempts >= MAX_ATTEMPTS || this.stopped) {
      delivery.status = "failed";
      return;
    }
    this.later(Math.min(MAX_RETRY_DELAY_MS, RETRY_BASE_MS * 2 ** (delivery.attempts - 1)), () => inTrace(trace, () => this.attempt(delivery, hook, trace)));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
