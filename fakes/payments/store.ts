import { randomBytes } from "node:crypto";

export type FakeProvider = "stripe" | "paypal" | "adyen";
export type OperationCategory = "reversal" | "refund" | "capture" | "read" | "auth";
/**
 * `slow` waits before doing the operation; `slow_answer` does it (and sends its webhook) at once but
 * answers only after the delay: the provider did the work and the caller timed out, or the webhook
 * beat the answer.
 */
export type FaultKind = "http_500" | "timeout" | "decline" | "slow" | "slow_answer" | "webhook_delay" | "webhook_never";
export const FAULT_KINDS: readonly FaultKind[] = [
  "http_500",
  "timeout",
  "decline",
  "slow",
  "slow_answer",
  "webhook_delay",
  "webhook_never",
];

export interface FakeOperation {
  id: string;
  type: "reversal" | "refund" | "capture";
  /** The provider call that did it: cancel, amount_update, reauthorize, void, refund, … */
  action: string;
  amount: number;
  idempotencyKey: string | undefined;
  /** What the caller sent to name the operation (Stripe metadata, PayPal custom_id/invoice_id, Adyen reference), echoed back. */
  metadata?: Record<string, string>;
  at: string;
}

export interface FakeCapture {
  id: string;
  amount: number;
  refunded: number;
  createdAt: string;
}

/** One payment as a provider holds it; amounts in minor units. */
export interface FakePayment {
  provider: FakeProvider;
  reference: string;
  currency: string;
  authorized: number;
  captured: number;
  reversed: number;
  refunded: number;
  status: string;
  metadata: Record<string, string>;
  operations: FakeOperation[];
  /** PayPal: the order, the live authorization (reauthorize replaces it), the captures. */
  orderId: string | undefined;
  authorizationId: string | undefined;
  retiredAuthorizationIds: string[];
  captures: FakeCapture[];
}

export interface Fault {
  id: string;
  provider: FakeProvider;
  /** A route's action ("refund", "cancel", …) or category ("reversal", "refund", …); any if absent. */
  operation: string | undefined;
  reference: string | undefined;
  kind: FaultKind;
  remaining: number;
  ms: number;
}

export interface StoredResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface WebhookDelivery {
  provider: FakeProvider;
  url: string;
  body: string;
  headers: Record<string, string>;
  status: "scheduled" | "delivered" | "failed" | "suppressed";
  attempts: number;
  responseStatus: number | undefined;
}

export function newId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString("hex").toUpperCase().slice(0, bytes * 2)}`;
}

export class FakeStore {
  private payments = new Map<string, FakePayment>();
  private idempotency = new Map<string, { fingerprint: string; response: StoredResponse }>();
  faults: Fault[] = [];
  webhooks: WebhookDelivery[] = [];

  register(input: {
    provider: FakeProvider;
    reference: string;
    currency: string;
    authorized: number;
    captured: number;
  }): FakePayment {
    const { provider, reference, currency, authorized, captured } = input;
    if (this.find(provider, reference)) throw new Error(`${provider} payment ${reference} already exists`);
    const payment: FakePayment = {
      provider,
      reference,
      currency: currency.toUpperCase(),
      authorized,
      captured,
      reversed: 0,
      refunded: 0,
      status: initialStatus(provider, authorized, captured),
      metadata: {},
      operations: [],
      orderId: provider === "paypal" ? newId("ORDER-", 8) : undefined,
      authorizationId: provider === "paypal" ? reference : undefined,
      retiredAuthorizationIds: [],
      captures: [],
    };
    if (provider === "paypal" && captured > 0) {
      payment.captures.push({ id: newId("CAP-", 8), amount: captured, refunded: 0, createdAt: now() });
    }
    this.index(payment, reference);
    if (payment.orderId) this.index(payment, payment.orderId);
    for (const capture of payment.captures) this.index(payment, capture.id);
    return payment;
  }

  /** Makes `id` (a new PayPal authorization, a capture, an order) find the same payment. */
  index(payment: FakePayment, id: string): void {
    this.payments.set(`${payment.provider}:${id}`, payment);
  }

  find(provider: FakeProvider, id: string): FakePayment | undefined {
    return this.payments.get(`${provider}:${id}`);
  }

  record(payment: FakePayment, op: Omit<FakeOperation, "at">): FakeOperation {
    const operation = { ...op, at: now() };
    payment.operations.push(operation);
    return operation;
  }

  /**
   * Same key and same request: the stored answer, nothing done twice. Same key, different request:
   * a conflict. Answers are stored only once the operation ran, so an injected 500 or a hang (both
   * happen before) leaves the key free for the retry, like a failure in front of the real API.
   */
  idempotent(
    provider: FakeProvider,
    key: string | undefined,
    fingerprint: string,
    run: () => StoredResponse,
  ): { response: StoredResponse; replayed: boolean } | "conflict" {
    if (!key) return { response: run(), replayed: false };
    const stored = this.idempotency.get(`${provider}:${key}`);
    if (stored) return stored.fingerprint === fingerprint ? { response: stored.response, replayed: true } : "conflict";
    const response = run();
    if (response.status < 500) this.idempotency.set(`${provider}:${key}`, { fingerprint, response });
    return { response, replayed: false };
  }

  addFault(input: Omit<Fault, "id" | "remaining"> & { count: number }): Fault {
    const fault: Fault = { ...input, id: newId("fault_", 6), remaining: input.count };
    this.faults.push(fault);
    return fault;
  }

  /** Consumes one use of the first fault of the given kinds matching this call. */
  takeFault(
    provider: FakeProvider,
    action: string,
    category: OperationCategory,
    reference: string | undefined,
    kinds: readonly FaultKind[],
  ): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        f.provider === provider &&
        kinds.includes(f.kind) &&
        (!f.operation || f.operation === action || f.operation === category) &&
        (!f.reference || f.reference === reference),
    );
    if (fault) fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  reset(): void {
    this.payments.clear();
    this.idempotency.clear();
    this.faults = [];
    this.webhooks = [];
  }
}

function initialStatus(provider: FakeProvider, authorized: number, captured: number): string {
  if (provider === "stripe") return captured >= authorized ? "succeeded" : "requires_capture";
  if (provider === "paypal") return captured >= authorized ? "CAPTURED" : captured > 0 ? "PARTIALLY_CAPTURED" : "CREATED";
  return "Authorised";
}

export function now(): string {
  return new Date().toISOString();
}

export function view(payment: FakePayment) {
  const { provider, reference, currency, authorized, captured, reversed, refunded, status } = payment;
  return {
    provider,
    reference,
    currency,
    authorized,
    captured,
    reversed,
    refunded,
    status,
    metadata: payment.metadata,
    orderId: payment.orderId,
    authorizationId: payment.authorizationId,
    captures: payment.captures,
    operations: payment.operations,
  };
}
