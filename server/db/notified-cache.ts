import type { DbListener } from "./listener";

/**
 * A per-process cache whose entries hold only while the listener is connected: any
 * notification on one of `channels` (or a lost connection) empties it. A value loaded while a
 * notification arrived is returned but not kept, so a load that raced a change never outlives
 * it. `ttlMs` bounds how long an entry lives even without news.
 */
export class NotifiedCache<V> {
  private entries = new Map<string, { value: V; expires: number }>();
  private epoch = 0;

  constructor(
    private readonly listener: DbListener | null,
    channels: string[],
    private readonly opts: { ttlMs: number; maxEntries: number },
  ) {
    const clear = () => this.clear();
    for (const c of channels) listener?.on(c, clear);
    listener?.onReset(clear);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  async get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now && this.listener?.connected) return hit.value;
    const epoch = this.epoch;
    const value = await load();
    if (this.listener?.connected && epoch === this.epoch && keep(value)) {
      if (this.entries.size >= this.opts.maxEntries) this.entries.clear();
      this.entries.set(key, { value, expires: now + this.opts.ttlMs });
    }
    return value;
  }
}
