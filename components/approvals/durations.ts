const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 95 minutes → "1 h 35 min"; 50 hours → "2 d 2 h"; under a minute → "less than a minute". */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return "less than a minute";
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) {
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return `${Math.floor(ms / HOUR)} h${minutes ? ` ${minutes} min` : ""}`;
  }
  const hours = Math.floor((ms % DAY) / HOUR);
  return `${Math.floor(ms / DAY)} d${hours ? ` ${hours} h` : ""}`;
}

export function waitingFor(createdAt: string, now: number): string {
  return formatDuration(Math.max(0, now - Date.parse(createdAt)));
}

/** Time before the request expires and its units return to the order; null when it never expires. */
export function timeLeft(expiresAt: string | null, now: number): { text: string; urgent: boolean } | null {
  if (!expiresAt) return null;
  const left = Date.parse(expiresAt) - now;
  if (left <= 0) return { text: "Expiring now", urgent: true };
  return { text: `${formatDuration(left)} left`, urgent: left < 4 * HOUR };
}
