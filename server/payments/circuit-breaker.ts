import type { Db } from "@/server/db/client";
import { EXTERNAL_PROVIDERS, type ExternalProviderName } from "./port";

export type CircuitStateName = "closed" | "open" | "half-open";

/** A circuit of provider_circuits: a payment provider, or the warehouse (server/inventory/). */
export type CircuitName = ExternalProviderName | "warehouse";

/** Every circuit of provider_circuits, as the admin's provider-health panel lists them. */
export const ALL_CIRCUITS: readonly CircuitName[] = [...EXTERNAL_PROVIDERS, "warehouse"];

export interface CircuitView<Name extends CircuitName = ExternalProviderName> {
  provider: Name;
  state: CircuitStateName;
  failures: number;
  openedAt: Date | null;
  /** When the breaker last left closed; unlike openedAt, failed trials do not move it. */
  downSince: Date | null;
  lastFailure: string | null;
  updatedAt: Date;
}

/** Thrown by `admit` while the circuit refuses calls; nothing was sent to the provider. */
export class CircuitOpenError extends Error {
  constructor(readonly provider: CircuitName) {
    super(`${provider} circuit is open; not calling`);
    this.name = "CircuitOpenError";
  }
}

export interface BreakerSettings {
  /** Consecutive transient failures (counted over every process) that open the circuit. */
  threshold: number;
  /** How long an open circuit refuses calls before one trial call goes through. */
  halfOpenAfterMs: number;
  /** A trial call not reported within this long (its process died) lets another one through. */
  probeTimeoutMs: number;
  /**
   * How long this process acts on the closed, failure-free state it last read before reading the
   * row again (default 1 s; 0 reads before every call). Within it a call costs no statement.
   */
  closedForMs?: number;
}

/** One admitted call: `probe` when it is the trial call of a half-open circuit. */
export interface Admission {
  probe: boolean;
}

export interface SharedBreaker {
  admit(): Promise<Admission>;
  /** The provider answered (with a result or a definitive refusal): it is up. */
  recordAnswer(admission: Admission): Promise<void>;
  /** A transient failure (timeout, 5xx, network). */
  recordFailure(admission: Admission, reason: string): Promise<void>;
}

/**
 * A provider's circuit breaker whose state is a row of provider_circuits, so
 * that every worker judges the provider on all workers' calls and the admin
 * panel and the cancellation status show the state the workers act on. Every
 * transition is one conditional UPDATE on PostgreSQL's clock, so concurrent
 * processes agree (e.g. exactly one of them gets a half-open circuit's trial).
 */
export function sharedBreaker(db: Db, provider: CircuitName, settings: BreakerSettings): SharedBreaker {
  const refused = () => new CircuitOpenError(provider);
  const closedForMs = settings.closedForMs ?? 1_000;
  // When this process last saw the circuit closed with no failures counted (0: not known so). A
  // read and a reset per provider call were two statements of every saga's payment step; now a
  // busy process reads the row about once a second. Another process's failures, or the circuit
  // opening there, are acted on here within closedForMs; this process's own failures at once.
  let quietSince = 0;
  return {
    async admit() {
      if (quietSince && Date.now() - quietSince < closedForMs) return { probe: false };
      quietSince = 0;
      const [row] = await db.$queryRaw<{ state: string; failures: number; ripe: boolean; probe_stale: boolean }[]>`
        SELECT state, failures,
               opened_at <= now() - ${settings.halfOpenAfterMs}::int * interval '1 millisecond' AS ripe,
               probe_started_at <= now() - ${settings.probeTimeoutMs}::int * interval '1 millisecond' AS probe_stale
          FROM provider_circuits WHERE provider = ${provider}`;
      if (!row || row.state === "closed") {
        if (!row || row.failures === 0) quietSince = Date.now();
        return { probe: false };
      }
      if (row.state === "open" && !row.ripe) throw refused();
      if (row.state === "half_open" && !row.probe_stale) throw refused();
      // Whoever flips the row first makes the trial call; the others are refused.
      const claimed = await db.$executeRaw`
        UPDATE provider_circuits SET state = 'half_open', probe_started_at = now(), updated_at = now()
         WHERE provider = ${provider}
           AND ((state = 'open' AND opened_at <= now() - ${settings.halfOpenAfterMs}::int * interval '1 millisecond')
             OR (state = 'half_open' AND probe_started_at <= now() - ${settings.probeTimeoutMs}::int * interval '1 millisecond'))`;
      if (claimed !== 1) throw refused();
      return { probe: true };
    },

    async recordAnswer({ probe }) {
      if (probe) {
        await db.$executeRaw`
          UPDATE provider_circuits SET state = 'closed', failures = 0, opened_at = NULL, down_since = NULL, probe_started_at = NULL, updated_at = now()
           WHERE provider = ${provider} AND state = 'half_open'`;
      } else if (!quietSince) {
        await db.$executeRaw`
          UPDATE provider_circuits SET failures = 0, updated_at = now()
           WHERE provider = ${provider} AND state = 'closed' AND failures > 0`;
      }
    },

    async recordFailure({ probe }, reason) {
      quietSince = 0;
      if (probe) {
        // opened_at restarts (the next trial waits from now); down_since keeps when the outage began.
        await db.$executeRaw`
          UPDATE provider_circuits SET state = 'open', opened_at = now(), probe_started_at = NULL, failures = failures + 1, last_failure = ${reason}, updated_at = now()
           WHERE provider = ${provider} AND state = 'half_open'`;
        return;
      }
      // A late failure of a call admitted before the circuit opened only adds to the count.
      await db.$executeRaw`
        INSERT INTO provider_circuits AS c (provider, state, failures, opened_at, down_since, last_failure, updated_at)
        VALUES (${provider}, CASE WHEN ${settings.threshold}::int <= 1 THEN 'open' ELSE 'closed' END, 1,
                CASE WHEN ${settings.threshold}::int <= 1 THEN now() END, CASE WHEN ${settings.threshold}::int <= 1 THEN now() END, ${reason}, now())
        ON CONFLICT (provider) DO UPDATE SET
          failures = c.failures + 1,
          last_failure = excluded.last_failure,
          updated_at = now(),
          state = CASE WHEN c.state = 'closed' AND c.failures + 1 >= ${settings.threshold}::int THEN 'open' ELSE c.state END,
          opened_at = CASE WHEN c.state = 'closed' AND c.failures + 1 >= ${settings.threshold}::int THEN now() ELSE c.opened_at END,
          down_since = CASE WHEN c.state = 'closed' AND c.failures + 1 >= ${settings.threshold}::int THEN now() ELSE c.down_since END`;
    },
  };
}

/** The named circuits (by default every payment provider's) as the workers see them (one without a row is closed). */
export async function readCircuits(db: Db): Promise<CircuitView[]>;
export async function readCircuits<Name extends CircuitName>(db: Db, names: readonly Name[]): Promise<CircuitView<Name>[]>;
export async function readCircuits(db: Db, names: readonly CircuitName[] = EXTERNAL_PROVIDERS): Promise<CircuitView<CircuitName>[]> {
  const rows = await db.providerCircuit.findMany({ where: { provider: { in: [...names] } } });
  return names.map((provider) => {
    const row = rows.find((r) => r.provider === provider);
    return {
      provider,
      state: row ? stateName(row.state) : "closed",
      failures: row?.failures ?? 0,
      openedAt: row?.openedAt ?? null,
      downSince: row?.downSince ?? null,
      lastFailure: row?.lastFailure ?? null,
      updatedAt: row?.updatedAt ?? new Date(0),
    };
  });
}

/** The providers whose circuit refuses calls now (open, or half-open with a trial in flight). */
export async function unavailableProviders(db: Db): Promise<Set<ExternalProviderName>> {
  return new Set((await readCircuits(db)).filter((c) => c.state !== "closed").map((c) => c.provider));
}

function stateName(state: string): CircuitStateName {
  return state === "half_open" ? "half-open" : state === "open" ? "open" : "closed";
}
