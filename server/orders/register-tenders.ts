import { parseAmount } from "@/server/domain/money";
import { registerTenderWithFake } from "@/server/payments/register-with-fake";
import { getConfig } from "@/server/config";
import type { TImportOrder } from "./import-order.schema";

/**
 * In development and tests the provider fake stands in for Stripe, PayPal and
 * Adyen: an imported order's card and PayPal tenders are registered there so
 * that every imported order can be cancelled end to end (SPEC §4). Without a
 * running fake (PROVIDER_FAKE_URL unset), nothing happens.
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
