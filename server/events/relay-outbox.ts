import type { Db } from "@/server/db/client";
import type { EventPublisher } from "./amqp-publisher";
import { toEnvelope } from "./outbox";

/**
 * Publishes unpublished outbox rows in order and marks them, in one
 * transaction per batch. Rows are locked with SKIP LOCKED, so several relays
 * can run; a row is marked only after the broker confirmed it, so a crash
 * re-sends (at-least-once: consumers dedupe on eventId).
 */
export async function relayOutbox(db: Db, publisher: EventPublisher, batchSize = 100): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
      if (!rows.length) return 0;
      const events = await tx.outboxEvent.findMany({ where: { id: { in: rows.map((r) => r.id) } }, orderBy: { seq: "asc" } });
      let published = 0;
      for (const row of events) {
        try {
          await publisher.publish(row.topic, row.key, toEnvelope(row));
        } catch (error) {
          await tx.outboxEvent.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
          console.error(`outbox relay: ${row.type} ${row.id} not published:`, (error as Error).message);
          break;
        }
        await tx.outboxEvent.update({ where: { id: row.id }, data: { publishedAt: new Date() } });
        published++;
      }
      return published;
    },
    { timeout: 30_000 },
  );
}

/** Relays every `intervalMs` until stopped; reconnects when the broker goes away. */
export function startOutboxRelay(db: Db, connect: () => Promise<EventPublisher>, intervalMs = 250) {
  let publisher: EventPublisher | null = null;
  let stopped = false;
  let warned = false;
  const loop = async () => {
    while (!stopped) {
      try {
        publisher ??= await connect();
        warned = false;
        while (!stopped && (await relayOutbox(db, publisher)) > 0);
      } catch (error) {
        if (!warned) console.error("outbox relay: broker unavailable, events stay in the outbox:", (error as Error).message);
        warned = true;
        await publisher?.close();
        publisher = null;
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
