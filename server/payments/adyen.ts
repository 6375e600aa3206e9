import { readFileSync } from "node:fs";
import { CheckoutAPI, Client, EnvironmentEnum, HttpClientException } from "@adyen/api-library";
import { FakeAdyenHttpClient } from "./adyen-transport";
import type { AdyenConfig } from "@/server/config/payments";
import { checkAmount, declined, uncaptured, unknownOutcome, type PaymentProviderPort, type PaymentResult } from "./port";
import { ProviderError, asResult, type ProviderCaller } from "./resilience";

/*
 * Adyen: the tender's reference is the payment's PSP reference.
 * - Reversal of everything still uncaptured on a payment with no capture → `cancels`.
 * - Any other reversal → `amountUpdates` to the new authorised total (authorized − reversed −
 *   amount), which keeps what was captured.
 * - Refund → `refunds`.
 * Adyen answers every modification `received`: the port answers `succeeded`, awaiting
 * confirmation, with the modification's PSP reference, and the signed notification (CANCELLATION,
 * AUTHORISATION_ADJUSTMENT, REFUND) settles it. Every modification's `reference` is our idempotency
 * key, which Adyen returns as the notification's `merchantReference`: a notification finds its
 * operation even when the call that started it timed out. Adyen offers no query for a
 * modification; its notification is the look-up (SPEC §6: wait for it within the horizon).
 */

type Modifications = CheckoutAPI["ModificationsApi"];

export function createAdyenModifications(config: AdyenConfig, timeoutMs: number): Modifications {
  const client =
    config.mode === "fake"
      ? new Client(
          { apiKey: config.apiKey, environment: EnvironmentEnum.TEST },
          new FakeAdyenHttpClient(config.baseUrl, readFileSync(config.caCertPath)),
        )
      : new Client({
          apiKey: config.apiKey,
          environment: config.environment === "live" ? EnvironmentEnum.LIVE : EnvironmentEnum.TEST,
          liveEndpointUrlPrefix: config.liveUrlPrefix,
        });
  client.setTimeouts(timeoutMs);
  return new CheckoutAPI(client).ModificationsApi;
}

export function classifyAdyenError(error: unknown): ProviderError {
  const status = (error as { statusCode?: unknown }).statusCode;
  const message = error instanceof Error ? error.message : String((error as { message?: unknown }).message ?? error);
  if (typeof status === "number" && status >= 400 && status < 500 && status !== 429) {
    const code = (error instanceof HttpClientException && error.errorCode) || `http_${status}`;
    // Adyen answers a key reused with other parameters 422 (errorCode 704 live, FAKE_… from the fake).
    const ambiguous = code === "704" || code === "FAKE_IDEMPOTENCY_KEY_REUSED";
    return new ProviderError("permanent", code, message, { cause: error, status, ambiguous });
  }
  const code = typeof status === "number" ? `http_${status}` : "network_error";
  return new ProviderError("transient", code, message, { cause: error, status: typeof status === "number" ? status : undefined });
}

export function createAdyenPort(modifications: Modifications, merchantAccount: string, caller: ProviderCaller): PaymentProviderPort {
  const received = (response: { status: string; pspReference: string }): PaymentResult =>
    response.status === "received"
      ? { status: "succeeded", providerReference: response.pspReference, awaitingConfirmation: true }
      : declined(`adyen_${response.status}`, `Adyen answered ${response.status}`);

  return {
    reverse: (tender, amount, { idempotencyKey }) =>
      asResult(async () => {
        const invalid = checkAmount(tender, amount, "reversal");
        if (invalid) return invalid;
        const psp = tender.providerReference;
        const options = (signal: AbortSignal) => ({ idempotencyKey, signal });
        if (amount === uncaptured(tender) && tender.captured === 0) {
          return received(
            await caller.call((signal) =>
              modifications.cancelAuthorisedPaymentByPspReference(psp, { merchantAccount, reference: idempotencyKey }, options(signal)),
            ),
          );
        }
        const value = tender.authorized - tender.reversed - amount;
        return received(
          await caller.call((signal) =>
            modifications.updateAuthorisedAmount(
              psp,
              { amount: { currency: tender.currency, value }, merchantAccount, reference: idempotencyKey },
              options(signal),
            ),
          ),
        );
      }),

    refund: (tender, amount, { idempotencyKey }) =>
      asResult(async () => {
        const invalid = checkAmount(tender, amount, "refund");
        if (invalid) return invalid;
        return received(
          await caller.call((signal) =>
            modifications.refundCapturedPayment(
              tender.providerReference,
              { amount: { currency: tender.currency, value: amount }, merchantAccount, reference: idempotencyKey },
              { idempotencyKey, signal },
            ),
          ),
        );
      }),

    lookUp: async () => unknownOutcome("adyen_no_query", "Adyen offers no query for a modification; its notification is the answer"),
  };
}
