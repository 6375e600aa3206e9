import type { Db } from "@/server/db/client";
import { isKnownCurrency } from "@/server/domain/currency";
import { formatAmount } from "@/server/domain/money";
import type { AuditLog } from "@/server/generated/prisma/client";
import { maskPaymentFields, type PaymentViewer } from "@/server/payments/payment-view";
import { auditActionLabel } from "./audit-actions";
import { actorNames } from "./audit-filters";

/** Detail keys that audit entries write in minor units of the entry's currency. */
const MONEY_KEYS = new Set(["total", "amount", "shippingAdded", "notRefunded"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

function text(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** "shippingAdded" → "shipping added", "apiKeyId" → "API key id". */
function keyLabel(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase()
    .replace(/\bapi\b/g, "API")
    .replace(/\bip\b/g, "IP");
}

/**
 * The entries as a reader wants them: who by name, the action in words, the
 * order by its external id, money as decimal strings of its currency, and the
 * details as key–value pairs (payment fields masked as the viewer must see them).
 */
export async function describeAuditEntries(db: Db, rows: AuditLog[], payment: PaymentViewer) {
  const names = await actorNames(db, rows.map((r) => r.actorId));
  const orderIds = [...new Set(rows.map((r) => r.orderId).filter((id): id is string => !!id && /^[0-9a-f-]{36}$/i.test(id)))];
  const orders = new Map(
    (await db.order.findMany({ where: { id: { in: orderIds } }, select: { id: true, externalId: true, currency: true } })).map((o) => [o.id, o]),
  );
  return rows.map((r) => {
    const masked = r.details === null ? null : maskPaymentFields(payment, r.details);
    const order = r.orderId ? orders.get(r.orderId) : undefined;
    const details = isRecord(masked) ? masked : masked === null ? {} : { value: masked };
    const stated = typeof details.currency === "string" && isKnownCurrency(details.currency) ? details.currency : null;
    const currency = stated ?? order?.currency ?? null;
    const money = (v: unknown) => (currency && typeof v === "number" && Number.isSafeInteger(v) ? formatAmount(v, currency) : null);
    const amountMinor = details.total ?? details.amount;
    const actor = r.actorId ? names.get(r.actorId) : undefined;
    return {
      id: r.id.toString(),
      at: r.at.toISOString(),
      actorType: r.actorType,
      actorId: r.actorId,
      actorName: actor?.name ?? null,
      actorEmail: actor?.email ?? null,
      action: r.action,
      actionLabel: auditActionLabel(r.action),
      entity: r.entity,
      entityId: r.entityId,
      orderId: r.orderId,
      orderExternalId: order?.externalId ?? null,
      amount: money(amountMinor),
      currency: money(amountMinor) ? currency : null,
      ip: r.ip,
      userAgent: r.userAgent,
      channel: r.channel,
      /** The (masked) details as JSON text, for the CSV and for anyone who wants them whole. */
      details: masked === null ? null : JSON.stringify(masked),
      detailList: Object.entries(details).map(([key, value]) => {
        const formatted = MONEY_KEYS.has(key) ? money(value) : null;
        return { key: keyLabel(key), value: formatted ? `${formatted} ${currency}` : text(value) };
      }),
      prevHash: r.prevHash,
      hash: r.hash,
    };
  });
}

export type AuditEntryView = Awaited<ReturnType<typeof describeAuditEntries>>[number];
