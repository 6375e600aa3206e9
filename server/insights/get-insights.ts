import { z } from "zod";
import { type Actor, hasPermission } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { DATE_RANGE_MESSAGE, isFilterDate } from "@/server/domain/date-range";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { formatAmount } from "@/server/domain/money";
import { maskName } from "@/server/orders/order-view";
import {
  ANOMALY_FACTOR,
  ANOMALY_MIN,
  approvalOutcomes,
  BASELINE_DAYS,
  cancellationsByReason,
  cancellationsByStoreAndChannel,
  cancellationsPerDay,
  type InsightsScope,
  RECENT_DAYS,
  sagaOutcomes,
  topCancelledSkus,
  unusualPatterns,
  velocityFlagged,
} from "./insights-queries";

const DAY = 86_400_000;
const MAX_DAYS = 366;

const date = z.iso.date().refine(isFilterDate, DATE_RANGE_MESSAGE);

export const ZInsightsSchema = z
  .object({
    /** Inclusive UTC dates; the default is the 30 days up to today. */
    dateFrom: date.optional(),
    dateTo: date.optional(),
    storeId: z.string().trim().min(1).max(50).optional(),
  })
  .default({});

export type TInsightsInput = z.input<typeof ZInsightsSchema>;

/** Who sees what: a store manager their stores, an admin every store, nobody else. */
export function insightsScopeFor(actor: Actor, input: unknown, now = new Date()): InsightsScope & { dateFrom: string; dateTo: string } {
  if (!hasPermission(actor, "approve_cancellations")) throw new AppError(ErrorCode.FORBIDDEN, "Insights are for store managers and admins.");
  const q = ZInsightsSchema.parse(input ?? {});
  const today = now.toISOString().slice(0, 10);
  const dateTo = q.dateTo ?? today;
  const dateFrom = q.dateFrom ?? new Date(Date.parse(`${dateTo}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10);
  const from = new Date(`${dateFrom}T00:00:00Z`);
  const to = new Date(Date.parse(`${dateTo}T00:00:00Z`) + DAY);
  if (from >= to) throw new AppError(ErrorCode.VALIDATION_FAILED, "The start date must not be after the end date.", [{ path: "dateFrom", message: "after the end date" }]);
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `Choose at most ${MAX_DAYS} days.`, [{ path: "dateFrom", message: `more than ${MAX_DAYS} days before the end date` }]);
  }
  let storeIds = actor.storeIds;
  if (q.storeId) {
    // Outside a manager's stores the store has no figures (never a hint that it exists).
    storeIds = storeIds === null || storeIds.includes(q.storeId) ? [q.storeId] : [];
  }
  return { from, to, storeIds, dateFrom, dateTo };
}

/**
 * The Insights page: cancellations and refunds per day and currency, by reason, store and
 * channel, the most cancelled products, approval lead time and outcomes, saga outcomes and
 * time to complete, and unusual patterns, each computed in SQL (insights-queries.ts).
 */
export async function getInsights({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const scope = insightsScopeFor(actor, input);
  const started = performance.now();
  const [perDay, byReason, byStoreChannel, topSkus, approvals, saga, customers, agents, stores, velocity] = await Promise.all([
    cancellationsPerDay(db, scope),
    cancellationsByReason(db, scope),
    cancellationsByStoreAndChannel(db, scope),
    topCancelledSkus(db, scope),
    approvalOutcomes(db, scope),
    sagaOutcomes(db, scope),
    unusualPatterns(db, scope, "customer"),
    unusualPatterns(db, scope, "agent"),
    unusualPatterns(db, scope, "store"),
    velocityFlagged(db, scope),
  ]);
  const pii = hasPermission(actor, "read_order_pii");
  return {
    dateFrom: scope.dateFrom,
    dateTo: scope.dateTo,
    stores: scope.storeIds,
    queryMs: Math.round(performance.now() - started),
    perDay: perDay.map((d) => ({ ...d, refunded: formatAmount(d.refunded, d.currency) })),
    byReason,
    byStoreChannel,
    topSkus,
    approvals,
    saga,
    velocity,
    anomalies: {
      recentDays: RECENT_DAYS,
      baselineDays: BASELINE_DAYS,
      minimum: ANOMALY_MIN,
      factor: ANOMALY_FACTOR,
      rows: [...customers.map((r) => ({ ...r, name: pii ? r.name : maskName(r.name) })), ...agents, ...stores],
    },
  };
}

export type InsightsView = Awaited<ReturnType<typeof getInsights>>;
