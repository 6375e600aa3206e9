import type { Db } from "@/server/db/client";
import type { PaymentProviders } from "@/server/payments/registry";
import { faultInjector, type SagaFaults } from "./faults";

export interface SagaDeps {
  db: Db;
  payments: PaymentProviders;
  faults?: SagaFaults;
  /** For the saga runner's lock connection (saga-lease.ts); DATABASE_URL when omitted. */
  databaseUrl?: string;
}

export type SagaContext = SagaDeps & { inject: ReturnType<typeof faultInjector> };

export function sagaContext(deps: SagaDeps): SagaContext {
  return { ...deps, inject: faultInjector(deps.faults) };
}

// The saga's steps lock and load the cancellation as the deciding use-cases do.
export {
  lockCancellation,
  lockOrder,
  lockOrderAndCancellation,
  loadSagaCancellation,
  SAGA_INCLUDE,
  type SagaCancellation,
} from "@/server/cancellations/lock-cancellation";
