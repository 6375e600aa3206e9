// Failure injection built into the saga runner (STYLE §7), as SAGA_FAULTS gives it: tests make any
// step fail and assert the compensation against real PostgreSQL (server/saga/faults.ts acts on it).
export type SagaStep = "order_adjustment" | "payment" | "inventory_release" | "completion";

/** The boundaries of one provider operation, in order (SPEC §6 "Provider outcomes"). */
export type PaymentBoundary = "before_intent" | "after_intent" | "after_provider_call" | "after_record";

export interface SagaFaults {
  /** Steps that throw: "always", or the number of attempts that fail before one succeeds. */
  failStep?: Partial<Record<SagaStep, "always" | number>>;
  /** Dies (SIGKILL) right after a provider answered and before the step is recorded. */
  crashAfterProviderCall?: boolean;
  /** Dies (SIGKILL) at this boundary of the first provider operation it reaches. */
  crashAt?: PaymentBoundary;
  /**
   * `throw` stops the saga at `crashAt` with SimulatedCrash instead of killing the process: every
   * boundary lies between committed transactions, so the database is left exactly as by a SIGKILL
   * (in-process tests; the SIGKILL itself is proved in crash.test.ts).
   */
  crashMode?: "sigkill" | "throw";
  /**
   * The database connection is killed (pg_terminate_backend) inside the transaction that records
   * a provider's answer, this many times: the money moved and nothing says so yet.
   */
  loseDatabaseAfterProviderCall?: number;
}
