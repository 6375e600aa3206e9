/** Timeouts, retries and circuit breaker of one outside system (a payment provider, the warehouse). */
export interface ResilienceConfig {
  /** Per attempt, in milliseconds. */
  timeoutMs: number;
  /** Total attempts per provider call, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Consecutive transient failures that open the circuit. */
  breakerThreshold: number;
  halfOpenAfterMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceConfig = {
  timeoutMs: 5_000,
  attempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 30_000,
};
