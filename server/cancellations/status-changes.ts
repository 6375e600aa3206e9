import type { Db } from "@/server/db/client";
import { listenerFor } from "@/server/db/client";
import type { DbListener } from "@/server/db/listener";

/** Waiters per cancellation id, on one LISTEN cancellation_status per process and database. */
const waitersByListener = new WeakMap<DbListener, Map<string, Set<() => void>>>();

function waitersOf(listener: DbListener) {
  let waiters = waitersByListener.get(listener);
  if (!waiters) {
    const map = new Map<string, Set<() => void>>();
    // The trigger of migration 20261201073500 names the cancellation whose status changed.
    listener.on("cancellation_status", (id) => map.get(id)?.forEach((wake) => wake()));
    listener.onReset(() => map.forEach((set) => set.forEach((wake) => wake())));
    waitersByListener.set(listener, map);
    waiters = map;
  }
  return waiters;
}

export interface StatusSubscription {
  /**
   * Resolves after the cancellation's status may have changed (a notification, or one since
   * the last call) or after `timeoutMs`. While the listener is down it resolves within 100 ms,
   * so the caller falls back to reading again.
   */
  changed(timeoutMs: number): Promise<"changed" | "timeout">;
  stop(): void;
}

/** Subscribe before reading the status, so that a change between the read and the wait is not missed. */
export function subscribeToStatus(db: Db, cancellationId: string): StatusSubscription {
  const listener = listenerFor(db);
  const waiters = listener ? waitersOf(listener) : null;
  let signalled = false;
  let wake: (() => void) | null = null;
  const onChange = () => {
    signalled = true;
    wake?.();
  };
  if (waiters) {
    let set = waiters.get(cancellationId);
    if (!set) waiters.set(cancellationId, (set = new Set()));
    set.add(onChange);
  }
  return {
    changed(timeoutMs) {
      if (signalled) {
        signalled = false;
        return Promise.resolve("changed");
      }
      const wait = listener?.connected ? timeoutMs : Math.min(timeoutMs, 100);
      return new Promise((resolve) => {
        const timer = setTimeout(() => done("timeout"), Math.max(0, wait));
        function done(why: "changed" | "timeout") {
          clearTimeout(timer);
          wake = null;
          signalled = false;
          resolve(why);
        }
        wake = () => done("changed");
      });
    },
    stop() {
      const set = waiters?.get(cancellationId);
      set?.delete(onChange);
      if (set && set.size === 0) waiters!.delete(cancellationId);
    },
  };
}
