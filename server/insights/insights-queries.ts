import type { Db } from "@/server/db/client";
import { Prisma } from "@/server/generated/prisma/client";

/*
 * The Insights figures, each one SQL statement over indexed columns: cancellations by
 * created_at (cancellations_created_at_idx), joined to their order by primary key for the
 * store and channel. Amounts stay in minor units per currency here; the use-case formats them.
 */

export interface InsightsScope {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** null: every store. */
  storeIds: string[] | null;
}

/** The anomaly window: the last 7 days of the range against the 28 days before them. */
export const RECENT_DAYS = 7;
export const BASELINE_DAYS = 28;
/** Flagged: at least this many in the recent window, and at least FACTOR × the usual weekly rate. */
export const ANOMALY_MIN = 3;
export const ANOMALY_FACTOR = 3;

function scopeSql(s: InsightsScope, alias = "o") {
  return s.storeIds === null ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(alias)}.store_id = ANY(${s.storeIds}::text[])`;
}

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);

export async function cancellationsPerDay(db: Db, s: InsightsScope) {
  const rows = await db.$queryRaw<{ day: Date; currency: string; cancellations: bigint; completed: bigint; refunded: bigint }[]>`
    SELECT date_trunc('day', c.created_at)::date AS day, c.currency,
           count(*) AS cancellations,
           count(*) FILTER (WHERE c.status = 'completed') AS completed,
           coalesce(sum(c.total) FILTER (WHERE c.status = 'completed'), 0)::bigint AS refunded
      FROM cancellations c JOIN orders o ON o.id = c.order_id
     WHERE c.created_at >= ${s.from} AND c.created_at < ${s.to} ${scopeSql(s)}
     GROUP BY 1, 2 ORDER BY 1, 2`;
  return rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), currency: r.currency.trim(), cancellations: n(r.cancellations), completed: n(r.completed), refunded: n(r.refunded) }));
}

export async function cancellationsByReason(db: Db, s: InsightsScope) {
  const rows = await db.$queryRaw<{ reason: string; cancellations: bigint; completed: bigint }[]>`
    SELECT c.reason, count(*) AS cancellations, count(*) FILTER (WHERE c.status = 'completed') AS completed
      FROM cancellations c JOIN orders o ON o.id = c.order_id
     WHERE c.created_at >= ${s.from} AND c.created_at < ${s.to} ${scopeSql(s)}
     GROUP BY 1 ORDER BY 2 DESC, 1`;
  return rows.map((r) => ({ reason: r.reason, cancellations: n(r.cancellations), completed: n(r.completed) }));
}

export async function cancellationsByStoreAndChannel(db: Db, s: InsightsScope) {
  const rows = await db.$queryRaw<{ storeId: string; channel: string; cancellations: bigint }[]>`
    SELECT o.store_id AS "storeId", o.channel, count(*) AS cancellations
      FROM cancellations c JOIN orders o ON o.id = c.order_id
     WHERE c.created_at >= ${s.from} AND c.created_at < ${s.to} ${scopeSql(s)}
     GROUP BY 1, 2 ORDER BY 1, 2`;
  return rows.map((r) => ({ storeId: r.storeId, channel: r.channel, cancellations: n(r.cancellations) }));
}

/** Units actually given up (requests that were rejected, withdrawn or expired are left out). */
export async function topCancelledSkus(db: Db, s: InsightsScope, limit = 10) {
  const rows = await db.$queryRaw<{ sku: string; description: string; units: bigint; cancellations: bigint }[]>`
    SELECT l.sku, min(l.description) AS description, sum(i.quantity)::bigint AS units, count(DISTINCT c.id) AS cancellations
      FROM cancellations c
      JOIN orders o ON o.id = c.order_id
      JOIN cancellation_items i ON i.cancellation_id = c.id
      JOIN order_lines l ON l.id = i.order_line_id
     WHERE c.created_at >= ${s.from} AND c.created_at < ${s.to} ${scopeSql(s)}
       AND c.status NOT IN ('rejected', 'withdrawn', 'expired')
     GROUP BY l.sku ORDER BY units DESC, l.sku LIMIT ${limit}`;
  return rows.map((r) => ({ sku: r.sku, description: r.description, units: n(r.units), cancellations: n(r.cancellations) }));
}

/** Lead time from request to a person's decision, and how requests that needed approval ended. */
export async function approvalOutcomes(db: Db, s: InsightsScope) {
  const [r] = await db.$queryRaw<
    { needed: bigint; pending: bigint; approved: bigint; rejected: bigint; expired: bigint; withdrawn: bigint; p50: number | null; p95: number | null }[]
  >`
    SELECT count(*) AS needed,
           count(*) FILTER (WHERE c.status = 'pending_approval') AS pending,
           count(*) FILTER (WHERE a.decision = 'approved') AS approved,
           count(*) FILTER (WHERE a.decision = 'rejected') AS rejected,
           count(*) FILTER (WHERE a.decision = 'expired' OR (a.id IS NULL AND c.status = 'expired')) AS expired,
           count(*) FILTER (WHERE c.status = 'withdrawn') AS withdrawn,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.decided_at - c.created_at)) FILTER (WHERE a.decision IN ('approved', 'rejected')) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM a.decided_at - c.created_at)) FILTER (WHERE a.decision IN ('approved', 'rejected')) AS p95
      FROM cancellations c
      JOIN orders o ON o.id = c.order_id
      LEFT JOIN approvals a ON a.cancellation_id = c.id
     WHERE c.created_at >= ${s.from} AND c.created_at < ${s.to} ${scopeSql(s)}
       AND c.approval_required`;
  return {
    needed: n(r?.needed),
    pending: n(r?.pending),
    approved: n(r?.approved),
    rejected: n(r?.rejected),
    expired: n(r?.expired),
    withdrawn: n(r?.withdrawn),
    leadTimeSeconds: { p50: r?.p50 ?? null, p95: r?.p95 ?? null },
  };
}

/**
 * How sagas ended: completed (every part done by the providers), completed with a manual refund
 * (a part left to a person), failed; and the time from the go-ahead (approval, or the request
 * itself) to completion.
 */
export async function sagaOutcomes(db: Db, s: InsightsScope) {
  const [r] = await db.$queryRaw<{ completed: bigint; manual: bigint; failed: bigint; processing: bigint; p50: number | null; p95: number | null }[]>`
    WITH done AS (
      SELECT c.id, c.status, c.completed_at, coalesce(a.decided_at, c.created_at) AS started_at,
             EXISTS (SELECT 1 FROM cancellation_allocations x WHERE x.cancellation_id = c.id AND x.status = 'manual_required')
               OR EXISTS (SELECT 1 FROM manual_refund_tasks t WHERE t.cancellation_id = c.id) AS manual
        FROM cancellations c
        JOIN orders o ON o.id = c.order_id
        LEFT JOIN approvals a ON a.cancellation_id = c.id AND a.decision = 'approved'
       WHERE c.created_at >= ${s.from} AND c.created_at < ${s.to} ${scopeSql(s)}
         AND c.status IN ('completed', 'failed', 'processing')
    )
    SELECT count(*) FILTER (WHERE status = 'completed' AND NOT manual) AS completed,
           count(*) FILTER (WHERE status = 'completed' AND manual) AS manual,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           count(*) FILTER (WHERE status = 'processing') AS processing,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)) FILTER (WHERE status = 'completed') AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)) FILTER (WHERE status = 'completed') AS p95
      FROM done`;
  return {
    completed: n(r?.completed),
    manual: n(r?.manual),
    failed: n(r?.failed),
    processing: n(r?.processing),
    timeToCompleteSeconds: { p50: r?.p50 ?? null, p95: r?.p95 ?? null },
  };
}

type AnomalyKind = "customer" | "agent" | "store";

const KEY_OF: Record<AnomalyKind, Prisma.Sql> = {
  customer: Prisma.sql`o.customer_id`,
  agent: Prisma.sql`c.requested_by_id::text`,
  store: Prisma.sql`o.store_id`,
};

const NAME_OF: Record<AnomalyKind, Prisma.Sql> = {
  customer: Prisma.sql`min(o.customer_name)`,
  agent: Prisma.sql`min(u.name)`,
  store: Prisma.sql`min(o.store_id)`,
};

/**
 * Customers, agents (requesters) and stores whose cancellations in the last RECENT_DAYS of the
 * range are far above their usual weekly rate over the BASELINE_DAYS before.
 */
export async function unusualPatterns(db: Db, s: InsightsScope, kind: AnomalyKind, limit = 10) {
  const recentFrom = new Date(s.to.getTime() - RECENT_DAYS * 86_400_000);
  const baselineFrom = new Date(recentFrom.getTime() - BASELINE_DAYS * 86_400_000);
  const weeks = BASELINE_DAYS / 7;
  const rows = await db.$queryRaw<{ key: string; name: string; recent: bigint; baseline: bigint }[]>`
    SELECT ${KEY_OF[kind]} AS key, ${NAME_OF[kind]} AS name,
           count(*) FILTER (WHERE c.created_at >= ${recentFrom}) AS recent,
           count(*) FILTER (WHERE c.created_at < ${recentFrom}) AS baseline
      FROM cancellations c
      JOIN orders o ON o.id = c.order_id
      JOIN users u ON u.id = c.requested_by_id
     WHERE c.created_at >= ${baselineFrom} AND c.created_at < ${s.to} ${scopeSql(s)}
     GROUP BY 1
    HAVING count(*) FILTER (WHERE c.created_at >= ${recentFrom}) >= ${ANOMALY_MIN}
       AND count(*) FILTER (WHERE c.created_at >= ${recentFrom}) >= ${ANOMALY_FACTOR} * greatest(count(*) FILTER (WHERE c.created_at < ${recentFrom}) / ${weeks}::numeric, 1)
     ORDER BY count(*) FILTER (WHERE c.created_at >= ${recentFrom}) / greatest(count(*) FILTER (WHERE c.created_at < ${recentFrom}) / ${weeks}::numeric, 1) DESC, 1
     LIMIT ${limit}`;
  return rows.map((r) => {
    const usualPerWeek = n(r.baseline) / weeks;
    return { kind, key: r.key, name: r.name, recent: n(r.recent), usualPerWeek: Math.round(usualPerWeek * 100) / 100, ratio: Math.round((n(r.recent) / Math.max(usualPerWeek, 1)) * 10) / 10 };
  });
}

/** Requests the approval gate flagged for velocity in the range. */
export async function velocityFlagged(db: Db, s: InsightsScope) {
  const [r] = await db.$queryRaw<{ flagged: bigint; customers: bigint }[]>`
    SELECT count(*) AS flagged, count(DISTINCT o.customer_id) AS customers
      FROM cancellations c JOIN orders o ON o.id = c.order_id
     WHERE c.created_at >= ${s.from} AND c.created_at < ${s.to} ${scopeSql(s)}
       AND 'velocity' = ANY(c.approval_reasons)`;
  return { flagged: n(r?.flagged), customers: n(r?.customers) };
}
