import { parseAmount } from "@/server/domain/money";
import type { TImportOrder } from "./import-order.schema";

/**
 * In development and tests, the provider fake stands in for Stripe, PayPal and
 * Adyen: an imported order's card and PayPal tenders are registered there so
 * that every imported order can be cancelled end to end (SPEC §4). Without
 * PROVIDER_FAKE_URL (production), nothing happens.
 */
export async function registerTendersWithFake(_orderId: string, order: TImportOrder): Promise<void> {
  const base = process.env.PROVIDER_FAKE_URL;
  if (!base) return;
  for (const t of order.tenders.filter((t) => t.provider !== "internal")) {
    const response = await fetch(`${base}/_fake/payments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        provider: t.provider,
        reference: t.providerReference,
        currency: order.currency,
        authorized: parseAmount(t.authorized, order.currency),
        captured: parseAmount(t.captured, order.currency),
      }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`provider fake refused tender ${t.tenderId}: ${response.status} ${await response.text()}`);
  }
}
