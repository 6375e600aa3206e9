import {
  ApiError,
  Client,
  Environment,
  OrdersController,
  PaymentsController,
  type CapturedPayment,
} from "@paypal/paypal-server-sdk";
import { formatAmount, parseAmount } from "../domain/money";
import type { PaypalConfig } from "./config";
import { fakeTransport } from "./paypal-transport";
import { checkAmount, failed, uncaptured, type PaymentProviderPort, type PaymentResult, type PaymentTender } from "./port";
import { ProviderError, asResult, type ProviderCaller } from "./resilience";

/*
 * PayPal: the tender's reference is the authorization id (or, for a tender imported fully
 * captured, a capture id).
 * - Reversal of everything still uncaptured → void the authorization.
 * - Partial reversal → reauthorize for what remains to be captured (SPEC §4). PayPal answers with a
 *   NEW authorization id, returned as providerReference; the caller stores it on the tender.
 *   Real PayPal accepts a reauthorization only from day 4 to day 29 of the authorization (honor
 *   period), so earlier it is refused (permanent) and the saga falls back to a manual refund.
 * - Refund → refund the capture(s) of that authorization, found through the order
 *   (authorization → related order → its captures). Captures are refunded oldest first and the
 *   split is computed from tender.refunded, so a retry sends the same requests again.
 * PayPal-Request-Id carries the idempotency key (`key:captureId` for a second capture).
 */

const REFUNDABLE_CAPTURE = new Set(["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"]);

export function createPaypalClient(config: PaypalConfig, timeoutMs: number): Client {
  return new Client({
    clientCredentialsAuthCredentials: { oAuthClientId: config.clientId, oAuthClientSecret: config.clientSecret },
    environment: config.mode === "real" && config.environment === "production" ? Environment.Production : Environment.Sandbox,
    timeout: timeoutMs,
    ...(config.mode === "fake" ? { unstable_httpClientOptions: { adapter: fakeTransport(config.baseUrl) } } : {}),
  });
}

export function classifyPaypalError(error: unknown): ProviderError {
  if (error instanceof ApiError) {
    const result = error.result as { name?: string; message?: string; details?: { issue?: string; description?: string }[] } | undefined;
    const detail = result?.details?.[0];
    const code = detail?.issue ?? result?.name ?? `http_${error.statusCode}`;
    const message = detail?.description ?? result?.message ?? error.message;
    const transient = error.statusCode >= 500 || error.statusCode === 429 || error.statusCode === 409;
    return new ProviderError(transient ? "transient" : "permanent", code, message, { cause: error, status: error.statusCode });
  }
  return new ProviderError("transient", "network_error", error instanceof Error ? error.message : String(error), { cause: error });
}

export function createPaypalPort(client: Client, caller: ProviderCaller): PaymentProviderPort {
  const payments = new PaymentsController(client);
  const orders = new OrdersController(client);

  async function findCaptures(tender: PaymentTender): Promise<{ id: string; amount: number }[]> {
    let orderId: string | undefined;
    try {
      const { result } = await caller.call((signal) =>
        payments.getAuthorizedPayment({ authorizationId: tender.providerReference }, { abortSignal: signal }),
      );
      orderId = result.supplementaryData?.relatedIds?.orderId;
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) {
        return [{ id: tender.providerReference, amount: tender.captured }];
      }
      throw error;
    }
    if (!orderId) throw new ProviderError("permanent", "paypal_order_unknown", `Authorization ${tender.providerReference} names no order`);
    const { result: order } = await caller.call((signal) => orders.getOrder({ id: orderId }, { abortSignal: signal }));
    const captures: CapturedPayment[] = (order.purchaseUnits ?? []).flatMap((unit) => unit.payments?.captures ?? []);
    return captures
      .filter((c) => c.id && c.amount && REFUNDABLE_CAPTURE.has(String(c.status)))
      .sort((a, b) => String(a.createTime).localeCompare(String(b.createTime)))
      .map((c) => ({ id: c.id!, amount: parseAmount(c.amount!.value, tender.currency) }));
  }

  return {
    reverse: (tender, amount, idempotencyKey) =>
      asResult(async () => {
        const invalid = checkAmount(tender, amount, "reversal");
        if (invalid) return invalid;
        const authorizationId = tender.providerReference;
        if (amount === uncaptured(tender)) {
          await caller.call((signal) =>
            payments.voidPayment(
              { authorizationId, paypalRequestId: idempotencyKey, prefer: "return=representation" },
              { abortSignal: signal },
            ),
          );
          return { status: "succeeded", providerReference: authorizationId };
        }
        const keep = uncaptured(tender) - amount;
        const { result } = await caller.call((signal) =>
          payments.reauthorizePayment(
            {
              authorizationId,
              paypalRequestId: idempotencyKey,
              prefer: "return=representation",
              body: { amount: { currencyCode: tender.currency, value: formatAmount(keep, tender.currency) } },
            },
            { abortSignal: signal },
          ),
        );
        if (!result.id) return failed("permanent", "paypal_no_authorization", "Reauthorization answered without an id");
        if (result.status === "CREATED") return { status: "succeeded", providerReference: result.id };
        if (result.status === "PENDING") return { status: "pending", providerReference: result.id };
        return failed("permanent", `reauthorization_${String(result.status).toLowerCase()}`, `Reauthorization is ${result.status}`);
      }),

    refund: (tender, amount, idempotencyKey) =>
      asResult(async () => {
        const invalid = checkAmount(tender, amount, "refund");
        if (invalid) return invalid;
        const plan = planRefund(await findCaptures(tender), tender.refunded, amount);
        if (!plan) return failed("permanent", "amount_exceeds_captures", `PayPal captures cannot cover a refund of ${amount}`);
        const results: PaymentResult[] = [];
        for (const [index, part] of plan.entries()) {
          const { result } = await caller.call((signal) =>
            payments.refundCapturedPayment(
              {
                captureId: part.captureId,
                paypalRequestId: index === 0 ? idempotencyKey : `${idempotencyKey}:${part.captureId}`,
                prefer: "return=representation",
                body: { amount: { currencyCode: tender.currency, value: formatAmount(part.amount, tender.currency) } },
              },
              { abortSignal: signal },
            ),
          );
          results.push(refundResult(result.id, result.status));
        }
        return combine(results);
      }),
  };
}

/** Spreads `amount` over the captures after the first `alreadyRefunded`, oldest first. */
export function planRefund(
  captures: { id: string; amount: number }[],
  alreadyRefunded: number,
  amount: number,
): { captureId: string; amount: number }[] | null {
  let skip = alreadyRefunded;
  let left = amount;
  const plan: { captureId: string; amount: number }[] = [];
  for (const capture of captures) {
    const free = Math.max(0, capture.amount - skip);
    skip = Math.max(0, skip - capture.amount);
    const take = Math.min(free, left);
    if (take > 0) plan.push({ captureId: capture.id, amount: take });
    left -= take;
  }
  return left === 0 ? plan : null;
}

function refundResult(id: string | undefined, status: string | undefined): PaymentResult {
  if (!id) return failed("permanent", "paypal_no_refund", "Refund answered without an id");
  if (status === "COMPLETED") return { status: "succeeded", providerReference: id };
  if (status === "PENDING") return { status: "pending", providerReference: id };
  return failed("permanent", `refund_${String(status).toLowerCase()}`, `PayPal refund ${id} is ${status}`);
}

function combine(results: PaymentResult[]): PaymentResult {
  const failure = results.find((r) => r.status === "failed");
  if (failure) return failure;
  const reference = results.map((r) => ("providerReference" in r ? r.providerReference : "")).join(",");
  return results.some((r) => r.status === "pending")
    ? { status: "pending", providerReference: reference }
    : { status: "succeeded", providerReference: reference };
}
