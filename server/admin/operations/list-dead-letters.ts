import { z } from "zod";
import type { Db } from "@/server/db/client";

export const ZListDeadLettersSchema = z.object({ includeResolved: z.boolean().default(false) }).default({ includeResolved: false });

/** Jobs that gave up after their retries, newest first. */
export async function listDeadLetters({ db }: { db: Db }, input: unknown) {
  const q = ZListDeadLettersSchema.parse(input ?? {});
  const rows = await db.deadLetter.findMany({
    where: q.includeResolved ? {} : { resolvedAt: null },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  const ids = [...new Set(rows.map((r) => r.cancellationId).filter((id): id is string => id !== null))];
  const cancellations = await db.cancellation.findMany({ where: { id: { in: ids } }, select: { id: true, orderId: true, status: true } });
  const byId = new Map(cancellations.map((c) => [c.id, c]));
  const resolverIds = [...new Set(rows.map((r) => r.resolvedById).filter((id): id is string => id !== null))];
  const resolvers = new Map((await db.user.findMany({ where: { id: { in: resolverIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return rows.map((d) => ({
    deadLetterId: d.id,
    step: d.step,
    error: d.error,
    attempts: d.attempts,
    cancellationId: d.cancellationId,
    orderId: d.cancellationId ? (byId.get(d.cancellationId)?.orderId ?? null) : null,
    cancellationStatus: d.cancellationId ? (byId.get(d.cancellationId)?.status ?? null) : null,
    createdAt: d.createdAt.toISOString(),
    retriedAt: d.retriedAt?.toISOString() ?? null,
    resolvedAt: d.resolvedAt?.toISOString() ?? null,
    resolvedBy: d.resolvedById ? (resolvers.get(d.resolvedById) ?? null) : null,
    resolutionNote: d.resolutionNote,
  }));
}
