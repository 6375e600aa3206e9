import { getConfig } from "@/server/config";
import { setAfterImport } from "@/server/orders/after-import";
import { wireSaga } from "@/server/saga/wire-saga";

/**
 * Start-up of each app process (Next.js calls it once, before the first request): the composition
 * root that fills the production modules' ports. The cancellation use-cases get the saga's queue.
 * The dev and test fakes are plugged in only when started: `npm run dev`,
 * `npm start` and `npm test` start the provider fake and pass its address (PROVIDER_FAKE_URL);
 * then every imported order's card and PayPal tenders are registered there. Without it (real
 * providers), nothing from fakes/ is loaded.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, so that pg and http are instrumented before anything loads them (off without OTEL_EXPORTER_OTLP_ENDPOINT).
  const { startTracing } = await import("@/server/observability/tracing");
  await startTracing("pc-app");
  wireSaga();
  if (!getConfig().providerFakeUrl) return;
  const { registerTendersWithFake } = await import("./fakes/payments/register-tenders");
  setAfterImport(registerTendersWithFake);
}
