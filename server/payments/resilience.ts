import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  decorrelatedJitterGenerator,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
} from "cockatiel";
import { EXTERNAL_PROVIDERS, declined, unknownOutcome, type ExternalProviderName, type PaymentResult } from "./port";

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

/** A provider failure after classification; adapters turn SDK errors into this. */
export class ProviderError extends Error {
  /** The provider's HTTP status, when it answered. */
  readonly status: number | undefined;
  /**
   * A refusal that does not prove nothing was done (the idempotency key was used before, maybe by
   * the call that timed out): not retried now, but its outcome is `unknown`, not `declined`.
   */
  readonly ambiguous: boolean;

  constructor(
    readonly kind: "transient" | "permanent",
    readonly code: string,
    message: string,
    options?: { cause?: unknown; status?: number; ambiguous?: boolean },
  ) {
    super(message, { cause: options?.cause });
    this.name = "ProviderError";
    this.status = options?.status;
    this.ambiguous = options?.ambiguous ?? false;
  }
}

export type CircuitStateName = "closed" | "open" | "half-open";

// One breaker per provider per process: every app instance judges its own view of the provider.
const breakers = new Map<ExternalProviderName, CircuitBreakerPolicy>();

export function getCircuitStates(): Record<ExternalProviderName, CircuitStateName> {
  const states = {} as Record<ExternalProviderName, CircuitStateName>;
  for (const provider of EXTERNAL_PROVIDERS) {
    states[provider] = stateName(breakers.get(provider)?.state ?? CircuitState.Closed);
  }
  return states;
}

function stateName(state: CircuitState): CircuitStateName {
  if (state === CircuitState.HalfOpen) return "half-open";
  if (state === CircuitState.Closed) return "closed";
  return "open";
}

function isTransient(error: unknown): boolean {
  return (
    error instanceof TaskCancelledError || (error instanceof ProviderError && error.kind === "transient")
  );
}

export interface ProviderCaller {
  /** One provider request: per-attempt timeout, retries of transient failures, circuit breaker. */
  call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

export function createProviderCaller(
  provider: ExternalProviderName,
  config: ResilienceConfig,
  classify: (error: unknown) => ProviderError,
): ProviderCaller {
  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter: config.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(config.breakerThreshold),
  });
  breakers.set(provider, breaker);
  const policy = wrap(
    retry(handleWhen(isTransient), {
      maxAttempts: Math.max(0, config.attempts - 1),
      backoff: new ExponentialBackoff({
        initialDelay: config.baseDelayMs,
        maxDelay: config.maxDelayMs,
        generator: decorrelatedJitterGenerator,
      }),
    }),
    breaker,
    timeout(config.timeoutMs, TimeoutStrategy.Aggressive),
  );

  return {
    async call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      try {
        return await policy.execute(async ({ signal }) => {
          try {
            return await fn(signal);
          } catch (error) {
            throw error instanceof ProviderError ? error : classify(error);
          }
        });
      } catch (error) {
        if (error instanceof ProviderError) throw error;
        if (error instanceof TaskCancelledError) {
          throw new ProviderError("transient", "timeout", `${provider} did not answer within ${config.timeoutMs} ms`, {
            cause: error,
          });
        }
        if (error instanceof BrokenCircuitError) {
          throw new ProviderError("transient", "circuit_open", `${provider} circuit is open; not calling`, {
            cause: error,
          });
        }
        throw classify(error);
      }
    },
  };
}

/**
 * Runs an adapter operation and turns a thrown ProviderError into its outcome: a definitive
 * refusal is `declined`; everything else (timeouts, 5xx, open circuit, a reused key) is `unknown`.
 */
export async function asResult(operation: () => Promise<PaymentResult>): Promise<PaymentResult> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ProviderError) {
      return error.kind === "permanent" && !error.ambiguous ? declined(error.code, error.message) : unknownOutcome(error.code, error.message);
    }
    throw error;
  }
}
