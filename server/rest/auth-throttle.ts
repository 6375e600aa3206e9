import { getConfig } from "@/server/config";
import { AppError, ErrorCode } from "@/server/domain/errors";

/**
 * Slows down guessing of API keys: a client address that sent more than
 * API_AUTH_FAILURES_PER_MINUTE (default 30) unknown or revoked keys in the
 * current minute gets 429 until the minute is over. Kept in memory, so the
 * limit is per app instance; the address is the first X-Forwarded-For entry,
 * which only a trusted proxy in front of the app makes reliable.
 */
const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

interface Window {
  failures: number;
  resetAt: number;
}

const windows = new Map<string, Window>();

function limit(): number {
  return getConfig().apiAuthFailuresPerMinute;
}

export function assertNotThrottled(address: string, now = Date.now()): void {
  const w = windows.get(address);
  if (w && w.resetAt > now && w.failures >= limit()) {
    throw new AppError(ErrorCode.RATE_LIMITED, "Too many failed authentications from this address; try again later.", {
      retryAfterSeconds: Math.ceil((w.resetAt - now) / 1000),
    });
  }
}

export function recordAuthFailure(address: string, now = Date.now()): void {
  if (windows.size > MAX_TRACKED) for (const [key, w] of windows) if (w.resetAt <= now) windows.delete(key);
  const w = windows.get(address);
  if (!w || w.resetAt <= now) windows.set(address, { failures: 1, resetAt: now + WINDOW_MS });
  else w.failures += 1;
}
