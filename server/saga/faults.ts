import type { PaymentBoundary, SagaFaults, SagaStep } from "@/server/config/saga-faults";
import type { Prisma } from "@/server/generated/prisma/client";

// Failure injection built into the saga runner (STYLE §7): tests make any
// step fail and assert the compensation against real PostgreSQL.
export type { PaymentBoundary, SagaFaults, SagaStep } from "@/server/config/saga-faults";

export class InjectedFault extends Error {
  constructor(step: SagaStep) {
    super(`injected failure in ${step}`);
    this.name = "InjectedFault";
  }
}

export class SimulatedCrash extends Error {
  constructor(boundary: PaymentBoundary) {
    super(`simulated crash ${boundary}`);
    this.name = "SimulatedCrash";
  }
}

export function faultInjector(faults: SagaFaults = {}) {
  const failures = new Map<SagaStep, number>();
  let databaseLosses = 0;
  return {
    maybeFail(step: SagaStep) {
      const rule = faults.failStep?.[step];
      if (rule === undefined) return;
      const seen = (failures.get(step) ?? 0) + 1;
      failures.set(step, seen);
      if (rule === "always" || seen <= rule) throw new InjectedFault(step);
    },
    at(boundary: PaymentBoundary) {
      if (faults.crashAt === boundary && faults.crashMode === "throw") throw new SimulatedCrash(boundary);
      if (faults.crashAt === boundary || (boundary === "after_provider_call" && faults.crashAfterProviderCall)) {
        process.kill(process.pid, "SIGKILL");
      }
    },
    async maybeLoseDatabase(tx: Prisma.TransactionClient) {
      if (databaseLosses >= (faults.loseDatabaseAfterProviderCall ?? 0)) return;
      databaseLosses += 1;
      await tx.$executeRaw`SELECT pg_terminate_backend(pg_backend_pid())`;
    },
  };
}
