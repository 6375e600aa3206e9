import { getConfig } from "@/server/config";
import { AppError, ErrorCode } from "@/server/domain/errors";

/**
 * Load shedding for submits (SPEC §9: 10,000 at once are each answered 201 or 429 with
 * Retry-After, never a 5xx or a timeout). At most `maxInFlight` submit transactions run in a
 * process (more would only queue for the pool's connections and the order locks), at most
 * `maxQueued` wait for a turn, none longer than `maxWaitMs`; the rest are told to come back.
 * A shed request has changed nothing, its Idempotency-Key not even claimed.
 */
export function createAdmission(opts: { maxInFlight: number; maxQueued: number; maxWaitMs: number }) {
  let inFlight = 0;
  const queue: { admit: () => void; timer: NodeJS.Timeout }[] = [];
  const busy = () =>
    new AppError(ErrorCode.RATE_LIMITED, "Too many cancellations are being submitted right now; nothing was changed. Try again shortly.", {
      retryAfterSeconds: Math.max(1, Math.ceil((queue.length / Math.max(1, opts.maxInFlight)) * 0.05)),
    });

  function release() {
    const next = queue.shift();
    if (next) {
      clearTimeout(next.timer);
      next.admit();
    } else {
      inFlight--;
    }
  }

  return {
    /** Resolves with the slot's release function, or throws RATE_LIMITED. */
    async acquire(): Promise<() => void> {
      let released = false;
      const once = () => {
        if (!released) {
          released = true;
          release();
        }
      };
      if (inFlight < opts.maxInFlight) {
        inFlight++;
        return once;
      }
      if (queue.length >= opts.maxQueued) throw busy();
      return new Promise((resolve, reject) => {
        const entry = {
          admit: () => resolve(once),
          timer: setTimeout(() => {
            queue.splice(queue.indexOf(entry), 1);
            reject(busy());
          }, opts.maxWaitMs),
        };
        queue.push(entry);
      });
    },
    get state() {
      return { inFlight, queued: queue.length };
    },
  };
}

const { databasePoolSize, admission } = getConfig();
// One per process, on globalThis: npm start's direct routes (scripts/lib/direct-routes.ts) run a
// second copy of this module beside Next's bundle, and both copies' submits share the one pool.
const holder = globalThis as unknown as { __pcSubmitAdmission?: ReturnType<typeof createAdmission> };
export const submitAdmission = (holder.__pcSubmitAdmission ??= createAdmission({
  maxInFlight: admission.maxInFlight ?? Math.max(1, databasePoolSize - 2),
  maxQueued: admission.maxQueued,
  maxWaitMs: admission.maxWaitMs,
}));
