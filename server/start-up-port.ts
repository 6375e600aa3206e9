/**
 * A slot that a process's start-up fills, through which a module reaches something it must not
 * import (a fake, or a module that imports it). Kept on globalThis: Next.js bundles
 * instrumentation.ts, which fills the slots, apart from the route handlers that read them.
 */
export function startUpPort<T>(name: string) {
  const key = Symbol.for(`partial-cancellation.${name}`);
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  return {
    set(value: T | undefined): void {
      slots[key] = value;
    },
    get(): T | undefined {
      return slots[key];
    },
  };
}
