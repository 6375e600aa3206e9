/**
 * Polls `probe` until it returns something other than undefined or false; fails naming `what`
 * after `timeoutMs`. For conditions that another process or a broker makes true: no fixed sleeps.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, { timeoutMs = 60_000, everyMs = 50 }: { timeoutMs?: number; everyMs?: number } = {}): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as Exclude<T, false>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
