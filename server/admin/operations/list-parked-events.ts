import { z } from "zod";
import type { Db } from "@/server/db/client";

export const ZListParkedEventsSchema = z.object({}).default({});

/** Outbox events the relay gave up on (the broker kept refusing them), oldest first. */
export async function listParkedEvents({ db }: { db: Db }, input: unknown) {
  ZListParkedEventsSchema.parse(input ?? {});
  const rows = await db.outboxEvent.findMany({ where: { parkedAt: { not: null }, publishedAt: null }, orderBy: { seq: "asc" }, take: 200 });
  return rows.map((e) => ({
    eventId: e.id,
    type: e.type,
    topic: e.topic,
    orderId: e.orderId ?? e.key,
    occurredAt: e.occurredAt.toISOString(),
    attempts: e.attempts,
    lastError: e.lastError,
    parkedAt: e.parkedAt!.toISOString(),
  }));
}
