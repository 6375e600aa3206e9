// Failure injection built into the saga runner (STYLE §7): tests make any
// step fail and assert the compensation against real PostgreSQL.
export type SagaStep = "order_adjustment" | "payment" | "inventory_release" | "completion";

export interface SagaFaults {
  /** Steps that throw: "always", or the number of attempts that fail before one succeeds. */
  failStep?: Partial<Record<SagaStep, "always" | number>>;
  /** Dies (SIGKILL) right after a provider answered and before the step is recorded. */
  crashAfterProviderCall?: boolean;
}

export class InjectedFault extends Error {
  constructor(step: SagaStep) {
    super(`injected failure in ${step}`);
    this.name = "InjectedFault";
  }
}

export function faultInjector(faults: SagaFaults = {}) {
  const failures = new Map<SagaStep, number>();
  return {
    maybeFail(step: SagaStep) {
      const rule = faults.failStep?.[step];
      if (rule === undefined) return;
      const seen = (failures.get(step) ?? 0) + 1;
      failures.set(step, seen);
      if (rule === "always" || seen <= rule) throw new InjectedFault(step);
    },
    afterProviderCall() {
      if (faults.crashAfterProviderCall) process.kill(process.pid, "SIGKILL");
    },
  };
}

/** Faults for a worker process, from SAGA_FAULTS (JSON); used by the crash test. */
export function faultsFromEnv(env: Record<string, string | undefined> = process.env): SagaFaults {
  return env.SAGA_FAULTS ? (JSON.parse(env.SAGA_FAULTS) as SagaFaults) : {};
}
