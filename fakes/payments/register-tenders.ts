import { parseAmount } from "../../server/domain/money";
import { getConfig } from "../../server/config";
import type { PaymentConfig } from "../../server/config/payments";
import type { PaymentTender } from "../../server/payments/port";
import type { TImportOrder } from "../../server/orders/import-order.schema";

export type FakeRegistration = "registered" | "already_registered" | "skipped";

/**
 * Makes an imported order's card/PayPal tender known to the provider fake, so that it can be
 * cancelled end to end in development and tests (SPEC §4). Does nothing for the internal ledger
 * or for a provider running against its real API. Registering twice is harmless.
 */
export async function registerTenderWithFake(
  config: PaymentConfig,
  tender: Pick<PaymentTender, "provider" | "providerReference" | "currency" | "authorized" | "captured">,
  timeoutMs = 5_000,
): Promise<FakeRegistration> {
  if (tender.provider === "internal" || config[tender.provider].mode !== "fake") return "skipped";
  const response = await fetch(`${config.fakeUrl}/_fake/payments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      provider: tender.provider,
      reference: tender.providerReference,
      currency: tender.currency,
      authorized: tender.authorized,
      captured: tender.captured,
    }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status === 201) return "registered";
  if (response.status === 409) return "already_registered";
  throw new Error(`Provider fake refused tender ${tender.providerReference}: ${response.status} ${await response.text()}`);
}

/**
 * importOrder's `afterImport` hook in development and tests (wired at start-up: instrumentation.ts
 * for the app, test/saga-harness.ts for Vitest): an imported order's card and PayPal tenders are
 * registered with the provider fake so that every imported order can be cancelled end to end
 * (SPEC §4). Without a running fake (PROVIDER_FAKE_URL unset), nothing happens.
 */
export async function registerTendersWithFake(_orderId: string, order: TImportOrder): Promise<void> {
  if (!getConfig().providerFakeUrl) return;
  const config = getConfig().payments;
  for (const t of order.tenders) {
    await registerTenderWithFake(config, {
      provider: t.provider,
      providerReference: t.providerReference,
      currency: order.currency,
      authorized: parseAmount(t.authorized, order.currency),
      captured: parseAmount(t.captured, order.currency),
    });
  }
}
