import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { numbered } from "@/server/db/numbers";
import { formatAmount } from "@/server/domain/money";
import type { CancellationStatus, Prisma } from "@/server/generated/prisma/client";
import { progressOf } from "./cancellation-view";

/**
 * The requester's own work (issue 15, point 7), grouped as an agent thinks of it: waiting for
 * someone's decision, decided or done (approved and under way or finished, rejected, expired,
 * withdrawn, or never needing approval), and failed.
 */
export const MY_REQUEST_GROUPS = {
  pending: ["pending_approval"],
  decided: ["awaiting_warehouse", "processing", "completed", "rejected", "expired", "withdrawn"],
  failed: ["failed"],
} as const satisfies Record<string, readonly CancellationStatus[]>;
export type TMyRequestGroup = keyof typeof MY_REQUEST_GROUPS;

export const MY_REQUESTS_LIMIT = 50;

export const ZListMyRequestsSchema = z.object({ group: z.enum(["pending", "decided", "failed", "all"]).default("all") }).default({ group: "all" });
export type TListMyRequests = z.input<typeof ZListMyRequestsSchema>;

/** The actor's cancellation requests, newest first, with each group's count; only orders of stores the actor may see. */
export async function listMyRequests({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { group } = ZListMyRequestsSchema.parse(input ?? {});
  const mine: Prisma.CancellationWhereInput = { requestedById: actor.userId, ...(actor.storeIds === null ? {} : { order: { storeId: { in: actor.storeIds } } }) };
  const where: Prisma.CancellationWhereInput = group === "all" ? mine : { ...mine, status: { in: [...MY_REQUEST_GROUPS[group]] } };
  const [counts, rows] = await Promise.all([
    db.cancellation.groupBy({ by: ["status"], where: mine, _count: { _all: true }, orderBy: { status: "asc" } }),
    db.cancellation
      .findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        take: MY_REQUESTS_LIMIT,
        include: {
          order: { select: { externalId: true, storeId: true, lines: { select: { lineId: true, description: true } } } },
          items: { select: { lineId: true, quantity: true } },
          allocations: { orderBy: { position: "asc" }, include: { tender: { select: { provider: true, method: true, brand: true, last4: true } } } },
          manualTasks: { select: { status: true, amount: true } },
          warehouseLines: { select: { requested: true, stopped: true, outcome: true } },
          approval: { select: { decision: true, note: true, decidedAt: true, decidedBy: { select: { name: true } } } },
        },
      })
      .then(numbered),
  ]);
  const countOf = (statuses: readonly string[]) => counts.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + c._count._all, 0);
  return {
    counts: {
      pending: countOf(MY_REQUEST_GROUPS.pending),
      decided: countOf(MY_REQUEST_GROUPS.decided),
      failed: countOf(MY_REQUEST_GROUPS.failed),
      all: counts.reduce((sum, c) => sum + c._count._all, 0),
    },
    requests: rows.map((c) => {
      const described = new Map(c.order.lines.map((l) => [l.lineId, l.description]));
      return {
        cancellationId: c.id,
        orderId: c.orderId,
        externalId: c.order.externalId,
        storeId: c.order.storeId,
        status: c.status,
        progress: progressOf(c),
        refundAmount: formatAmount(c.total, c.currency),
        currency: c.currency,
        reason: c.reason,
        approvalReasons: c.approvalReasons,
        createdAt: c.createdAt.toISOString(),
        expiresAt: c.status === "pending_approval" && c.expiresAt ? c.expiresAt.toISOString() : null,
        items: c.items.map((i) => ({ lineId: i.lineId, description: described.get(i.lineId) ?? i.lineId, quantity: i.quantity })),
        decision: c.approval ? { decision: c.approval.decision, by: c.approval.decidedBy?.name ?? null, note: c.approval.note, at: c.approval.decidedAt.toISOString() } : null,
        failureReason: c.status === "failed" ? c.failureReason : null,
      };
    }),
  };
}

export type MyRequestsView = Awaited<ReturnType<typeof listMyRequests>>;
