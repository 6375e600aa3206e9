import type { Prisma } from "@/server/generated/prisma/client";

export async function addTimeline(
  tx: Prisma.TransactionClient,
  cancellationId: string,
  step: string,
  status: string,
  detail?: string,
): Promise<void> {
  await tx.cancellationTimelineEntry.create({ data: { cancellationId, step, status, detail } });
}
