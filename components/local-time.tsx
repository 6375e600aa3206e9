"use client";

import { useSyncExternalStore } from "react";
import { formatInstant } from "./format-money";

const subscribe = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
// The server renders UTC; the browser then shows its own zone (no hydration mismatch: React
// renders the server snapshot first and switches after hydrating).
const serverZone = () => "UTC";

/** The viewer's time zone ("UTC" in the server render), for times that must be strings (accessible names, sentences). */
export function useViewerZone(): string {
  return useSyncExternalStore(subscribe, browserZone, serverZone);
}

/** An instant in the viewer's time zone with the zone shown (`dateOnly`: the day there), the exact time on hover. */
export function LocalTime({ iso, className, dateOnly = false }: { iso: string; className?: string; dateOnly?: boolean }) {
  const zone = useViewerZone();
  return (
    <time dateTime={iso} title={`${formatInstant(iso, zone, true)} (${iso})`} className={className}>
      {formatInstant(iso, zone, dateOnly ? "date" : "short")}
    </time>
  );
}
