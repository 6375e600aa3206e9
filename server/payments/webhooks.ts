import { hmacValidator } from "@adyen/api-library";
import Stripe from "stripe";
import { parseAmount } from "../domain/money";
import type { PaypalConfig } from "@/server/config/payments";
import { OPERATION_KEY_METADATA, type ExternalProviderName } from "./port";

/*
 * Verification of provider notifications, for the webhook route handlers. Each verifier returns
 * one typed event or throws: WebhookVerificationError when the notification is not authentic
 * (answer 400), UnhandledWebhookEventError when it is authentic but settles nothing we track
 * (answer 2xx and ignore), any other error when verification itself could not run (answer 5xx so
 * the provider delivers again).
 */

export interface PaymentWebhookEvent {
  provider: ExternalProviderName;
  /** Unique per delivery subject; store it to ignore redeliveries. */
  eventId: string;
  /** Matches the providerReference the port returned for the operation. */
  providerReference: string;
  /** The payment the operation belongs to (PaymentIntent, original PSP reference), when known. */
  paymentReference?: string;
  /**
   * Our idempotency key, sent with the operation and echoed by the provider (Stripe metadata,
   * Adyen merchantReference, PayPal custom_id): finds the operation even when its call timed out.
   */
  idempotencyKey?: string;
  operation: "reversal" | "refund";
  success: boolean;
  /** Minor units as the provider reports them (AUTHORISATION_ADJUSTMENT: the new authorised total). */
  amount: number;
}

export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError";
}

export class UnhandledWebhookEventError extends Error {
  override name = "UnhandledWebhookEventError";
  constructor(readonly eventType: string) {
    super(`Webhook event ${eventType} settles no reversal or refund`);
  }
}

export function verifyStripeSignature(rawBody: string | Buffer, header: string | undefined, secret: string): PaymentWebhookEvent {
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, header ?? "", secret);
  } catch (error) {
    throw new WebhookVerificationError(`Stripe signature rejected: ${(error as Error).message}`, { cause: error });
  }
  if (event.type === "refund.created" || event.type === "refund.updated" || event.type === "refund.failed") {
    const refund = event.data.object;
    if (refund.status === "pending" || refund.status === "requires_action") throw new UnhandledWebhookEventError(`${event.type} (${refund.status})`);
    const intent = refund.payment_intent;
    return {
      provider: "stripe",
      eventId: event.id,
      providerReference: refund.id,
      paymentReference: typeof intent === "string" ? intent : intent?.id,
      idempotencyKey: refund.metadata?.[OPERATION_KEY_METADATA] || undefined,
      operation: "refund",
      success: refund.status === "succeeded",
      amount: refund.amount,
    };
  }
  if (event.type === "payment_intent.canceled") {
    const intent = event.data.object;
    return {
      provider: "stripe",
      eventId: event.id,
      providerReference: intent.id,
      paymentReference: intent.id,
      operation: "reversal",
      success: true,
      amount: intent.amount - intent.amount_received,
    };
  }
  throw new UnhandledWebhookEventError(event.type);
}

export interface AdyenNotificationItem {
  pspReference: string;
  originalReference?: string;
  merchantAccountCode: string;
  merchantReference: string;
  eventCode: string;
  success: string;
  amount: { value: number; currency: string };
  additionalData?: Record<string, string | undefined>;
  [field: string]: unknown;
}

/** The entries of an Adyen notification body (`{ live, notificationItems: [{ NotificationRequestItem }] }`), each unchecked. */
export function adyenNotificationEntries(body: unknown): unknown[] {
  const items = (body as { notificationItems?: unknown } | null)?.notificationItems;
  if (!Array.isArray(items)) throw new WebhookVerificationError("Not an Adyen notification");
  return items;
}

/** One entry's NotificationRequestItem, or WebhookVerificationError for a malformed entry. */
export function adyenNotificationItem(entry: unknown): AdyenNotificationItem {
  const item = (entry as { NotificationRequestItem?: AdyenNotificationItem } | null)?.NotificationRequestItem;
  if (!item || typeof item !== "object") throw new WebhookVerificationError("Adyen notification item missing");
  return item;
}

/** The items of an Adyen notification body; throws for a malformed body or item. */
export function adyenNotificationItems(body: unknown): AdyenNotificationItem[] {
  return adyenNotificationEntries(body).map(adyenNotificationItem);
}

const ADYEN_OPERATIONS: Record<string, "reversal" | "refund"> = {
  REFUND: "refund",
  CANCELLATION: "reversal",
  AUTHORISATION_ADJUSTMENT: "reversal",
};

export function verifyAdyenHmac(item: AdyenNotificationItem, hmacKey: string): PaymentWebhookEvent {
  let valid = false;
  try {
    valid = new hmacValidator().validateHMAC(item as never, hmacKey);
  } catch {
    valid = false;
  }
  if (!valid) throw new WebhookVerificationError("Adyen HMAC signature rejected");
  const operation = ADYEN_OPERATIONS[item.eventCode];
  if (!operation) throw new UnhandledWebhookEventError(item.eventCode);
  return {
    provider: "adyen",
    eventId: `${item.pspReference}:${item.eventCode}:${item.success}`,
    providerReference: item.pspReference,
    paymentReference: item.originalReference,
    idempotencyKey: item.merchantReference || undefined,
    operation,
    success: item.success === "true",
    amount: item.amount.value,
  };
}

export function paypalApiBase(config: PaypalConfig): string {
  if (config.mode === "fake") return config.baseUrl;
  return config.environment === "production" ? "https://api-m.paypal.com" : "https://api-m.sandbox.paypal.com";
}

/** Asks PayPal (or the fake) whether the notification is authentic: POST /v1/notifications/verify-webhook-signature. */
export async function verifyPaypalWebhook(
  input: { headers: Headers | Record<string, string | undefined>; rawBody: string },
  config: PaypalConfig,
  timeoutMs = 5_000,
): Promise<PaymentWebhookEvent> {
  if (!config.webhookId) throw new Error("PAYPAL_WEBHOOK_ID is not configured");
  const get = (name: string) => (input.headers instanceof Headers ? input.headers.get(name) : input.headers[name]) ?? undefined;
  let event: { id?: string; event_type?: string; resource?: Record<string, unknown> };
  try {
    event = JSON.parse(input.rawBody) as typeof event;
  } catch (error) {
    throw new WebhookVerificationError("PayPal webhook body is not JSON", { cause: error });
  }
  const base = paypalApiBase(config);
  const token = await paypalToken(base, config, timeoutMs);
  const response = await fetch(`${base}/v1/notifications/verify-webhook-signature`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      auth_algo: get("paypal-auth-algo"),
      cert_url: get("paypal-cert-url"),
      transmission_id: get("paypal-transmission-id"),
      transmission_sig: get("paypal-transmission-sig"),
      transmission_time: get("paypal-transmission-time"),
      webhook_id: config.webhookId,
      webhook_event: event,
    }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`PayPal webhook verification answered HTTP ${response.status}`);
  const { verification_status } = (await response.json()) as { verification_status?: string };
  if (verification_status !== "SUCCESS") throw new WebhookVerificationError("PayPal webhook signature rejected");

  const operation =
    event.event_type === "PAYMENT.CAPTURE.REFUNDED" ? "refund" : event.event_type === "PAYMENT.AUTHORIZATION.VOIDED" ? "reversal" : undefined;
  const resource = event.resource ?? {};
  const amount = resource.amount as { currency_code?: string; value?: string } | undefined;
  if (!operation || typeof resource.id !== "string" || !event.id || !amount?.currency_code || amount.value === undefined) {
    throw new UnhandledWebhookEventError(String(event.event_type));
  }
  return {
    provider: "paypal",
    eventId: event.id,
    providerReference: resource.id,
    paymentReference: operation === "reversal" ? resource.id : undefined,
    idempotencyKey: typeof resource.custom_id === "string" && resource.custom_id ? resource.custom_id : undefined,
    operation,
    success: operation === "reversal" || resource.status === "COMPLETED",
    amount: parseAmount(amount.value, amount.currency_code),
  };
}

async function paypalToken(base: string, config: PaypalConfig, timeoutMs: number): Promise<string> {
  const response = await fetch(`${base}/v1/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`PayPal OAuth answered HTTP ${response.status}`);
  const { access_token } = (await response.json()) as { access_token?: string };
  if (!access_token) throw new Error("PayPal OAuth answered without access_token");
  return access_token;
}
