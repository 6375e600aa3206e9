import { getConfig } from "@/server/config";

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The saga steps' policy (SAGA_STEP_ATTEMPTS, SAGA_STEP_RETRY_BASE_MS). */
export function stepRetry(): RetryPolicy {
  const { stepAttempts, stepRetryBaseMs } = getConfig().saga;
  return { attempts: stepAttempts, baseDelayMs: stepRetryBaseMs, maxDelayMs: 2_000 };
}

/** Exponential backoff with full jitter. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export async function withRetries<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy = stepRetry()): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.attempts) throw error;
      await new Promise((r) => setTimeout(r, backoffDelay(attempt, policy)));
    }
  }
}
