import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db/client";
import { BrokerUnavailableError, type EventPublisher } from "./amqp-publisher";
import { toEnvelope } from "./outbox";
import { logger } from "@/server/observability/logger";
import { contextFrom, SpanKind, traceHeaders, withSpan } from "@/server/observability/spans";

export interface RelayOptions {
  /** Order keys claimed per round. */
  keys?: number;
  /** Rows of one order key claimed per round (published one after the other). */
  perKey?: number;
  /** A row the broker refused this many times is parked for an admin. */
  maxAttempts?: number;
  /** The wait before the next try of a row that failed `attempts` times. */
  backoffMs?: (attempts: number) => number;
  /** How long a claim lasts; a relay that stopped loses its rows to another after this. */
  claimMs?: number;
}

export const OUTBOX_MAX_ATTEMPTS = 8;

/** 1 s, 2 s, 4 s … capped at a minute, with jitter so that relays do not retry in step. */
export function outboxBackoffMs(attempts: number): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base / 2 + (Math.random() * base) / 2);
}

interface ClaimedRow {
  id: string;
  seq: bigint;
  type: string;
  topic: string;
  key: string;
  correlation_id: string;
  order_id: string | null;
  payload: unknown;
  occurred_at: Date;
  attempts: number;
  traceparent: string | null;
  tracestate: string | null;
}

/**
 * One round of the relay. It claims, in one statement, the oldest unpublished rows of
 * up to `keys` order keys: a key's rows are taken only from its oldest unpublished row
 * on, and only when no other relay holds that row (FOR UPDATE SKIP LOCKED, then a claim
 * with a lease), so several relays never publish one order's events out of order. The
 * claim commits before any broker call; rows are marked published once the broker
 * confirmed them (at-least-once: a relay that dies re-sends after its lease, and
 * consumers dedupe on eventId). A row the broker refuses is counted and retried with
 * backoff, holding back only the later rows of its own order; after `maxAttempts` it is
 * parked (shown to admins) and its order moves on. Each event is published in a PRODUCER
 * span continuing the trace of the transaction that wrote it, and that trace goes in the
 * message's `traceparent`/`tracestate` headers (the stored ones when this process does not
 * trace). Returns the number published.
 */
export async function relayOutbox(db: Db, publisher: EventPublisher, opts: RelayOptions = {}): Promise<number> {
  const { keys = 100, perKey = 50, maxAttempts = OUTBOX_MAX_ATTEMPTS, backoffMs = outboxBackoffMs, claimMs = 60_000 } = opts;
  const token = randomUUID();
  const now = new Date();
  const until = new Date(now.getTime() + claimMs);
  const rows = await db.$queryRaw<ClaimedRow[]>`
    WITH heads AS (
      SELECT o.key, o.seq FROM outbox o
       WHERE o.published_at IS NULL AND o.parked_at IS NULL
         AND (o.claimed_until IS NULL OR o.claimed_until < ${now}::timestamp)
         AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ${now}::timestamp)
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.key = o.key AND e.seq < o.seq AND e.published_at IS NULL AND e.parked_at IS NULL)
       ORDER BY o.seq
       LIMIT ${keys}
       FOR UPDATE SKIP LOCKED
    ), chain AS (
      SELECT f.id, row_number() OVER (PARTITION BY f.key ORDER BY f.seq) AS n
        FROM outbox f JOIN heads h ON f.key = h.key AND f.seq >= h.seq
       WHERE f.published_at IS NULL AND f.parked_at IS NULL
    )
    UPDATE outbox SET claimed_by = ${token}, claimed_until = ${until}::timestamp
      FROM chain
     WHERE outbox.id = chain.id AND chain.n <= ${perKey}
    RETURNING outbox.id, outbox.seq, outbox.type, outbox.topic, outbox.key, outbox.correlation_id, outbox.order_id, outbox.payload, outbox.occurred_at, outbox.attempts, outbox.traceparent, outbox.tracestate`;
  if (rows.length === 0) return 0;

  const chains = new Map<string, ClaimedRow[]>();
  for (const row of [...rows].sort((a, b) => (a.seq < b.seq ? -1 : 1))) {
    const chain = chains.get(row.key);
    if (chain) chain.push(row);
    else chains.set(row.key, [row]);
  }

  const published: string[] = [];
  const unclaimed: string[] = [];
  let brokerDown: BrokerUnavailableError | null = null;
  const publishChain = async (chain: ClaimedRow[]) => {
    for (const [i, row] of chain.entries()) {
      // Past the lease another relay may have this key: stop rather than race it.
      if (brokerDown || Date.now() > until.getTime() - 1_000) return void unclaimed.push(...chain.slice(i).map((r) => r.id));
      try {
        await publishRow(publisher, row);
        published.push(row.id);
      } catch (error) {
        unclaimed.push(...chain.slice(i + 1).map((r) => r.id));
        if (error instanceof BrokerUnavailableError) {
          brokerDown = error;
          return void unclaimed.push(row.id);
        }
        await recordFailure(db, token, row, error, { maxAttempts, backoffMs });
        return;
      }
    }
  };
  // Every chain settles before the marks, so none is still publishing when they are written.
  const settled = await Promise.allSettled([...chains.values()].map(publishChain));
  try {
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  } finally {
    if (published.length) {
      await db.$executeRaw`UPDATE outbox SET published_at = ${new Date()}::timestamp, claimed_by = NULL, claimed_until = NULL WHERE id = ANY(${published}::uuid[]) AND claimed_by = ${token}`;
    }
    if (unclaimed.length) await db.$executeRaw`UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE id = ANY(${unclaimed}::uuid[]) AND claimed_by = ${token}`;
  }
  if (brokerDown) throw brokerDown;
  return published.length;
}

/** One event in a PRODUCER span, a child of the writer's span when the row carries its trace. */
function publishRow(publisher: EventPublisher, row: ClaimedRow): Promise<void> {
  const envelope = toEnvelope({ ...row, correlationId: row.correlation_id, orderId: row.order_id, occurredAt: row.occurred_at });
  const stored = row.traceparent ? { traceparent: row.traceparent, ...(row.tracestate ? { tracestate: row.tracestate } : {}) } : null;
  return withSpan(
    "outbox publish",
    {
      "messaging.system": "rabbitmq",
      "messaging.operation.type": "send",
      "messaging.destination.name": row.topic,
      "messaging.rabbitmq.destination.routing_key": row.key,
      "messaging.message.id": row.id,
      "event.type": row.type,
    },
    () => publisher.publish(row.topic, row.key, envelope, traceHeaders() ?? stored ?? undefined),
    { kind: SpanKind.PRODUCER, ...(stored ? { parent: contextFrom(stored) } : {}) },
  );
}

async function recordFailure(db: Db, token: string, row: ClaimedRow, error: unknown, opts: { maxAttempts: number; backoffMs: (attempts: number) => number }) {
  const attempts = row.attempts + 1;
  const parked = attempts >= opts.maxAttempts;
  const lastError = String((error as Error)?.message ?? error).slice(0, 2000);
  await db.outboxEvent.updateMany({
    where: { id: row.id, claimedBy: token },
    data: {
      attempts,
      lastError,
      nextAttemptAt: parked ? null : new Date(Date.now() + opts.backoffMs(attempts)),
      parkedAt: parked ? new Date() : null,
      claimedBy: null,
      claimedUntil: null,
    },
  });
  logger().warn({ eventId: row.id, eventType: row.type, orderId: row.order_id, correlationId: row.correlation_id, attempts, parked }, `outbox relay: ${row.type} not published: ${lastError}`);
}

/** Relays every `intervalMs` until stopped; reconnects when the broker goes away. */
export function startOutboxRelay(db: Db, connect: () => Promise<EventPublisher>, intervalMs = 250, opts: RelayOptions = {}) {
  let publisher: EventPublisher | null = null;
  let stopped = false;
  let warned = false;
  const loop = async () => {
    while (!stopped) {
      try {
        publisher ??= await connect();
        warned = false;
        while (!stopped && (await relayOutbox(db, publisher, opts)) > 0);
      } catch (error) {
        if (error instanceof BrokerUnavailableError || !publisher) {
          if (!warned) logger().warn({ err: error }, "outbox relay: broker unavailable, events stay in the outbox");
          warned = true;
          await publisher?.close();
          publisher = null;
        } else {
          logger().error({ err: error }, "outbox relay failed");
        }
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  };
  const done = loop();
  return {
    stop: async () => {
      stopped = true;
      await done;
      await publisher?.close();
    },
  };
}
