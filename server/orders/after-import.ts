import { startUpPort } from "@/server/start-up-port";
import type { TImportOrder } from "./import-order.schema";

/** importOrder's follow-up after commit; its failure is logged, never unsays the import. */
export type AfterImport = (orderId: string, order: TImportOrder) => Promise<void>;

/**
 * The port through which start-up plugs something into every import without production code
 * knowing what: in development and tests, registering the tenders with the provider fake
 * (fakes/payments/register-tenders.ts, wired by instrumentation.ts); in production, nothing.
 */
const port = startUpPort<AfterImport>("after-import");

export function setAfterImport(hook: AfterImport | undefined): void {
  port.set(hook);
}

export function afterImport(): AfterImport | undefined {
  return port.get();
}
