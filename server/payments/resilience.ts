import { ExponentialBackoff, TaskCancelledError, TimeoutStrategy, decorrelatedJitterGenerator, handleWhen, retry, timeout } from "cockatiel";
import { type CircuitName, CircuitOpenError, type SharedBreaker } from "./circuit-breaker";
import { declined, unknownOutcome, type PaymentResult } from "./port";
import type { ResilienceConfig } from "@/server/config/resilience";
import { logger } from "@/server/observability/logger";

export { DEFAULT_RESILIENCE, type ResilienceConfig } from "@/server/config/resilience";

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

function isTransient(error: unknown): boolean {
  return (
    error instanceof TaskCancelledError || (error instanceof ProviderError && error.kind === "transient")
  );
}

export interface ProviderCaller {
  /** One provider request: per-attempt timeout, retries of transient failures, circuit breaker. */
  call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

/**
 * Each attempt passes the provider's shared circuit breaker (circuit-breaker.ts), whose state lives
 * in PostgreSQL: retry → breaker → per-attempt timeout, as cockatiel's wrap() would compose them.
 */
export function createProviderCaller(
  provider: CircuitName,
  config: ResilienceConfig,
  classify: (error: unknown) => ProviderError,
  breaker: SharedBreaker,
): ProviderCaller {
  const retries = retry(handleWhen(isTransient), {
    maxAttempts: Math.max(0, config.attempts - 1),
    backoff: new ExponentialBackoff({
      initialDelay: config.baseDelayMs,
      maxDelay: config.maxDelayMs,
      generator: decorrelatedJitterGenerator,
    }),
  });
  const perAttempt = timeout(config.timeoutMs, TimeoutStrategy.Aggressive);

  async function attempt<T>(fn: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    let admission;
    try {
      admission = await breaker.admit();
    } catch (error) {
      if (error instanceof CircuitOpenError) throw error; // not transient: refused calls are not retried
      throw new ProviderError("transient", "circuit_unavailable", `${provider} circuit state could not be read: ${(error as Error).message}`, { cause: error });
    }
    let value: T;
    try {
      value = await perAttempt.execute(async ({ signal: attemptSignal }) => {
        try {
          return await fn(attemptSignal);
        } catch (error) {
          throw error instanceof ProviderError ? error : classify(error);
        }
      }, signal);
    } catch (error) {
      await bookkeeping(isTransient(error) ? breaker.recordFailure(admission, describeFailure(error)) : breaker.recordAnswer(admission));
      throw error;
    }
    await bookkeeping(breaker.recordAnswer(admission));
    return value;
  }

  /** The breaker's bookkeeping never changes what the provider answered. */
  async function bookkeeping(write: Promise<void>) {
    await write.catch((err: unknown) => logger().error({ err, provider }, "circuit breaker could not record a call"));
  }

  return {
    async call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      try {
        return await retries.execute(({ signal }) => attempt(fn, signal));
      } catch (error) {
        if (error instanceof ProviderError) throw error;
        if (error instanceof TaskCancelledError) {
          throw new ProviderError("transient", "timeout", `${provider} did not answer within ${config.timeoutMs} ms`, {
            cause: error,
          });
        }
        if (error instanceof CircuitOpenError) {
          throw new ProviderError("transient", "circuit_open", error.message, { cause: error });
        }
        throw classify(error);
      }
    },
  };
}

function describeFailure(error: unknown): string {
  if (error instanceof TaskCancelledError) return "timeout";
  if (error instanceof ProviderError) return `${error.code}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
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
