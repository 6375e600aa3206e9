import {
  ApiError,
  Client,
  Environment,
  OrdersController,
  PaymentsController,
  type CapturedPayment,
} from "@paypal/paypal-server-sdk";
import { formatAmount, parseAmount } from "../domain/money";
import type { PaypalConfig } from "@/server/config/payments";
import { fakeTransport } from "./paypal-transport";
import { asLookUp } from "./look-up";
import { checkAmount, declined, uncaptured, unknownOutcome, type LookUpResult, type PaymentProviderPort, type PaymentResult, type PaymentTender } from "./port";
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
 * PayPal-Request-Id carries the idempotency key (`key:captureId` for a second capture); a refund
 * also carries it as `custom_id` (and the request id as `invoice_id`), which PayPal shows on the
 * refund, in its webhook and in the order's refunds: that is how a look-up finds it.
 * Look-up: the order's refunds by `custom_id`; the authorization's state for a void; for a
 * reauthorization, the order's live authorization.
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
    const ambiguous = code === "PAYPAL_REQUEST_ID_PREVIOUSLY_USED" || code === "DUPLICATE_INVOICE_ID";
    return new ProviderError(transient ? "transient" : "permanent", code, message, { cause: error, status: error.statusCode, ambiguous });
  }
  return new ProviderError("transient", "network_error", error instanceof Error ? error.message : String(error), { cause: error });
}

export function createPaypalPort(client: Client, caller: ProviderCaller): PaymentProviderPort {
  const payments = new PaymentsController(client);
  const orders = new OrdersController(client);

  /** The order the tender's authorization belongs to; undefined for a tender that names a capture. */
  async function findOrder(tender: PaymentTender) {
    let orderId: string | undefined;
    try {
      const { result } = await caller.call((signal) =>
        payments.getAuthorizedPayment({ authorizationId: tender.providerReference }, { abortSignal: signal }),
      );
      orderId = result.supplementaryData?.relatedIds?.orderId;
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) return undefined;
      throw error;
    }
    if (!orderId) throw new ProviderError("permanent", "paypal_order_unknown", `Authorization ${tender.providerReference} names no order`);
    const { result: order } = await caller.call((signal) => orders.getOrder({ id: orderId }, { abortSignal: signal }));
    return order;
  }

  async function findCaptures(tender: PaymentTender): Promise<{ id: string; amount: number }[]> {
    const order = await findOrder(tender);
    if (!order) return [{ id: tender.providerReference, amount: tender.captured }];
    const captures: CapturedPayment[] = (order.purchaseUnits ?? []).flatMap((unit) => unit.payments?.captures ?? []);
    return captures
      .filter((c) => c.id && c.amount && REFUNDABLE_CAPTURE.has(String(c.status)))
      .sort((a, b) => String(a.createTime).localeCompare(String(b.createTime)))
      .map((c) => ({ id: c.id!, amount: parseAmount(c.amount!.value, tender.currency) }));
  }

  return {
    reverse: (tender, amount, { idempotencyKey }) =>
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
        if (!result.id) return unknownOutcome("paypal_no_authorization", "Reauthorization answered without an id");
        return authorizationOutcome(result.id, result.status);
      }),

    refund: (tender, amount, { idempotencyKey }) =>
      asResult(async () => {
        const invalid = checkAmount(tender, amount, "refund");
        if (invalid) return invalid;
        const plan = planRefund(await findCaptures(tender), tender.refunded, amount);
        if (!plan) return declined("amount_exceeds_captures", `PayPal captures cannot cover a refund of ${amount}`);
        const results: PaymentResult[] = [];
        for (const [index, part] of plan.entries()) {
          const requestId = index === 0 ? idempotencyKey : `${idempotencyKey}:${part.captureId}`;
          let result;
          try {
            ({ result } = await caller.call((signal) =>
            payments.refundCapturedPayment(
              {
                captureId: part.captureId,
                paypalRequestId: requestId,
                prefer: "return=representation",
                body: {
                  amount: { currencyCode: tender.currency, value: formatAmount(part.amount, tender.currency) },
                  customId: idempotencyKey,
                  invoiceId: requestId,
                },
              },
              { abortSignal: signal },
            ),
          ));
          } catch (error) {
            // A later part failing after an earlier one went through is no decline: money moved.
            if (results.length > 0 && error instanceof ProviderError) return unknownOutcome("paypal_refund_partial", `Part of the refund went through; then ${error.message}`);
            throw error;
          }
          results.push(refundResult(result.id, result.status));
        }
        return combine(results);
      }),

    lookUp: (tender, operation, amount, { idempotencyKey }) =>
      asLookUp(async (): Promise<LookUpResult> => {
        if (operation === "refund") {
          const order = await findOrder(tender);
          if (!order) return unknownOutcome("paypal_order_unknown", `No order to ask about the refunds of capture ${tender.providerReference}`);
          const refunds = (order.purchaseUnits ?? []).flatMap((unit) => unit.payments?.refunds ?? []).filter((r) => r.customId === idempotencyKey);
          if (refunds.length === 0) return { status: "absent", detail: `no refund on PayPal order ${order.id} carries ${idempotencyKey}` };
          const found = refunds.reduce((sum, r) => sum + parseAmount(r.amount?.value ?? "0", tender.currency), 0);
          if (found < amount) return unknownOutcome("paypal_refund_partial", `Only ${found} of ${amount} refunded under ${idempotencyKey}; the retry completes it`);
          return combine(refunds.map((r) => refundResult(r.id, r.status)));
        }
        const { result: authorization } = await caller.call((signal) =>
          payments.getAuthorizedPayment({ authorizationId: tender.providerReference }, { abortSignal: signal }),
        );
        if (amount === uncaptured(tender)) {
          return authorization.status === "VOIDED"
            ? { status: "succeeded", providerReference: tender.providerReference }
            : { status: "absent", detail: `authorization ${tender.providerReference} is ${authorization.status}` };
        }
        if (authorization.status !== "VOIDED") return { status: "absent", detail: `authorization ${tender.providerReference} is still ${authorization.status}` };
        // Reauthorized: the order's live authorization for what remains is the new one.
        const order = await findOrder(tender);
        const keep = formatAmount(uncaptured(tender) - amount, tender.currency);
        const live = (order?.purchaseUnits ?? [])
          .flatMap((unit) => unit.payments?.authorizations ?? [])
          .find((a) => a.id && a.id !== tender.providerReference && a.status !== "VOIDED" && a.amount?.value === keep);
        return live?.id
          ? authorizationOutcome(live.id, live.status)
          : unknownOutcome("paypal_reauthorization_unclear", `authorization ${tender.providerReference} is VOIDED and no live authorization of ${keep} was found`);
      }),
  };
}

function authorizationOutcome(id: string, status: string | undefined): PaymentResult {
  if (status === "CREATED") return { status: "succeeded", providerReference: id };
  if (status === "PENDING") return { status: "succeeded", providerReference: id, awaitingConfirmation: true };
  return declined(`reauthorization_${String(status).toLowerCase()}`, `Reauthorization is ${status}`);
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
  if (!id) return unknownOutcome("paypal_no_refund", "Refund answered without an id");
  if (status === "COMPLETED") return { status: "succeeded", providerReference: id };
  if (status === "PENDING") return { status: "succeeded", providerReference: id, awaitingConfirmation: true };
  return declined(`refund_${String(status).toLowerCase()}`, `PayPal refund ${id} is ${status}`);
}

function combine(results: PaymentResult[]): PaymentResult {
  const failure = results.find((r): r is Exclude<PaymentResult, { status: "succeeded" }> => r.status !== "succeeded");
  // One capture refunded and the next refused is no decline: money moved. The retry (same request
  // ids) replays the first part and tries the rest again.
  if (failure) {
    return results.some((r) => r.status === "succeeded") ? unknownOutcome("paypal_refund_partial", `Part of the refund went through; then ${failure.message}`) : failure;
  }
  const reference = results.map((r) => ("providerReference" in r ? r.providerReference : "")).join(",");
  return results.some((r) => r.status === "succeeded" && r.awaitingConfirmation)
    ? { status: "succeeded", providerReference: reference, awaitingConfirmation: true }
    : { status: "succeeded", providerReference: reference };
}
