import type { Actor } from "@/server/auth/permissions";
import { randomUUID } from "node:crypto";
import { appendAuditSql } from "@/server/audit/record-audit";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { currencyExponent, isKnownCurrency } from "@/server/domain/currency";
import { formatAmount, MAX_MINOR_UNITS, parseAmount } from "@/server/domain/money";
import { deriveOrderStatus } from "@/server/domain/quantities";
import { splitOrderDiscount } from "@/server/domain/refund";
import { Prisma } from "@/server/generated/prisma/client";
import type { AfterImport } from "./after-import";
import { phoneDigits } from "./customer-phone";
import { ZImportOrderSchema, type TImportOrder } from "./import-order.schema";
import { logger } from "@/server/observability/logger";

const PROVIDERS_FOR: Record<string, string[]> = {
  card: ["stripe", "adyen"],
  paypal: ["paypal"],
  gift_card: ["internal"],
  store_credit: ["internal"],
};

interface Issue {
  path: string;
  message: string;
}

/** The checks zod cannot make alone: money per currency, sums, cross-field rules. */
function toMinorUnits(order: TImportOrder) {
  const issues: Issue[] = [];
  const { currency } = order;
  if (!isKnownCurrency(currency)) throw new AppError(ErrorCode.VALIDATION_FAILED, `Unknown currency ${currency}.`, [{ path: "currency", message: "not an ISO 4217 currency" }]);
  const MAX = BigInt(MAX_MINOR_UNITS);
  const MAX_AMOUNT = formatAmount(MAX_MINOR_UNITS, currency);
  const money = (value: string, path: string) => {
    try {
      return parseAmount(value, currency);
    } catch {
      issues.push({ path, message: `"${value}" is not a valid ${currency} amount (at most ${currencyExponent(currency)} decimals, at most ${MAX_AMOUNT} ${currency})` });
      return 0;
    }
  };
  // Sums and products in BigInt: they are checked against the maximum before they become numbers.
  const withinMaximum = (value: bigint, path: string, what: string) => {
    if (value > MAX) issues.push({ path, message: `${what} is above the maximum of ${MAX_AMOUNT} ${currency} (${MAX_MINOR_UNITS} minor units)` });
  };
  const seenLines = new Set<string>();
  const lines = order.lines.map((l, i) => {
    if (seenLines.has(l.lineId)) issues.push({ path: `lines.${i}.lineId`, message: `duplicate lineId "${l.lineId}"` });
    seenLines.add(l.lineId);
    if (l.shipped + l.released > l.quantity) issues.push({ path: `lines.${i}`, message: "shipped + released exceeds quantity" });
    const unitPrice = money(l.unitPrice, `lines.${i}.unitPrice`);
    const discount = money(l.discount, `lines.${i}.discount`);
    const gross = BigInt(unitPrice) * BigInt(l.quantity);
    withinMaximum(gross, `lines.${i}`, "unitPrice × quantity");
    if (BigInt(discount) > gross) issues.push({ path: `lines.${i}.discount`, message: "the line discount exceeds the line's price" });
    return { ...l, unitPrice, discount, tax: money(l.tax, `lines.${i}.tax`) };
  });
  const discounts = order.discounts.map((d, i) => ({ code: d.code, amount: money(d.amount, `discounts.${i}.amount`) }));
  const shipping = { amount: money(order.shipping.amount, "shipping.amount"), tax: money(order.shipping.tax, "shipping.tax") };
  const seenTenders = new Set<string>();
  const tenders = order.tenders.map((t, i) => {
    if (seenTenders.has(t.tenderId)) issues.push({ path: `tenders.${i}.tenderId`, message: `duplicate tenderId "${t.tenderId}"` });
    seenTenders.add(t.tenderId);
    if (!PROVIDERS_FOR[t.method]!.includes(t.provider)) issues.push({ path: `tenders.${i}.provider`, message: `${t.method} cannot be paid through ${t.provider}` });
    const authorized = money(t.authorized, `tenders.${i}.authorized`);
    const captured = money(t.captured, `tenders.${i}.captured`);
    if (captured > authorized) issues.push({ path: `tenders.${i}.captured`, message: "captured exceeds authorized" });
    return { ...t, authorized, captured };
  });
  const sum = (values: number[]) => values.reduce((s, v) => s + BigInt(v), 0n);
  const afterLine = lines.map((l) => BigInt(l.unitPrice) * BigInt(l.quantity) - BigInt(l.discount));
  const orderDiscount = sum(discounts.map((d) => d.amount));
  const merchandise = afterLine.reduce((s, a) => s + a, 0n);
  withinMaximum(merchandise, "lines", "the merchandise total");
  withinMaximum(orderDiscount, "discounts", "the order discounts' total");
  if (orderDiscount > merchandise) issues.push({ path: "discounts", message: "order discounts exceed the merchandise total" });
  const total = merchandise - orderDiscount + sum(lines.map((l) => l.tax)) + BigInt(shipping.amount) + BigInt(shipping.tax);
  withinMaximum(total, "total", "the order total");
  const authorizedTotal = sum(tenders.map((t) => t.authorized));
  if (issues.length === 0 && authorizedTotal !== total) {
    issues.push({ path: "tenders", message: `the tenders' authorized amounts add up to ${authorizedTotal} minor units, the order total is ${total}` });
  }
  if (issues.length) throw new AppError(ErrorCode.VALIDATION_FAILED, "The order is invalid.", issues);
  const shares = splitOrderDiscount(afterLine.map(Number), Number(orderDiscount));
  return { lines: lines.map((l, i) => ({ ...l, orderDiscountShare: shares[i]! })), discounts, shipping, tenders, total: Number(total) };
}

export interface ImportOrderDeps {
  db: Db;
  actor: Actor;
  /** Called after commit: the start-up's hook (server/orders/after-import.ts), e.g. registering tenders with the provider fake. */
  afterImport?: AfterImport;
}

export async function importOrder({ db, actor, afterImport }: ImportOrderDeps, input: unknown): Promise<{ orderId: string }> {
  const order = ZImportOrderSchema.parse(input);
  const minor = toMinorUnits(order);
  const status = deriveOrderStatus(minor.lines.map((l) => ({ ...l, cancelled: 0, pendingCancel: 0 })));
  const orderId = randomUUID();
  const at = new Date();
  const audit = appendAuditSql(
    {
      actorType: actor.kind,
      actorId: actor.userId,
      action: "order.imported",
      entity: "order",
      entityId: orderId,
      orderId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      channel: actor.channel,
      details: { channel: order.channel, externalId: order.externalId, total: minor.total, currency: order.currency },
    },
    at,
  );
  const stored = storeOrder(order, minor, { orderId, status, at, audit });

  try {
    if (minor.tenders.some((t) => t.provider === "internal")) {
      // Gift cards and store credit: their ledger accounts are checked and opened in the order's transaction.
      await db.$transaction(async (tx) => {
        await tx.$executeRaw(stored);
        await openLedgerAccounts(tx, order, minor);
      });
    } else {
      // The store, the order, its lines, discounts, tenders, reservations and the audit entry: one statement, atomic on its own.
      await db.$executeRaw(stored);
    }
  } catch (error) {
    // A unique index refused it: the orders' (channel, externalId) makes it a duplicate import,
    // the tenders' (provider, providerReference) a payment of another order.
    if (isUniqueViolation(error)) {
      const existing = await db.order.findUnique({ where: { channel_externalId: { channel: order.channel, externalId: order.externalId } }, select: { id: true } });
      if (existing) throw duplicate(order, existing.id);
      await assertTenderReferencesFree(db, order);
    }
    throw error;
  }
  // The order is stored; a failing follow-up (the provider fake in development) must not unsay that.
  await afterImport?.(orderId, order).catch((err: unknown) => logger().error({ err, orderId }, "after-import step failed"));
  return { orderId };
}

/**
 * The one statement that stores an import: the store when it is new (two first imports of a store
 * at once must not fail on its primary key), the order with its lines, discounts and tenders, a
 * reservation at the line's location for every line with units not yet shipped, and the audit entry.
 */
function storeOrder(order: TImportOrder, minor: ReturnType<typeof toMinorUnits>, o: { orderId: string; status: string; at: Date; audit: Prisma.Sql }): Prisma.Sql {
  const at = Prisma.sql`(${o.at.toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3)`;
  const lines = minor.lines.map((l, position) => ({
    line_id: l.lineId,
    position,
    sku: l.sku,
    description: l.description,
    quantity: l.quantity,
    unit_price: l.unitPrice,
    discount: l.discount,
    tax: l.tax,
    order_discount_share: l.orderDiscountShare,
    shipped: l.shipped,
    released: l.released,
    location_id: l.locationId,
  }));
  const discounts = minor.discounts.map((d, position) => ({ code: d.code, amount: d.amount, position }));
  const tenders = minor.tenders.map((t, position) => ({
    tender_id: t.tenderId,
    position,
    method: t.method,
    provider: t.provider,
    provider_reference: t.providerReference,
    brand: t.brand ?? null,
    last4: t.last4 ?? null,
    authorized: t.authorized,
    captured: t.captured,
  }));
  return Prisma.sql`
    WITH store AS (
      INSERT INTO stores (id, name) VALUES (${order.storeId}, ${order.storeId}) ON CONFLICT (id) DO NOTHING
    ), new_order AS (
      INSERT INTO orders (id, channel, external_id, store_id, customer_id, customer_name, customer_email, customer_phone, customer_phone_digits, customer_locale,
                          currency, status, shipping_amount, shipping_tax, total, created_at, updated_at)
      VALUES (${o.orderId}::uuid, ${order.channel}, ${order.externalId}, ${order.storeId}, ${order.customer.id}, ${order.customer.name}, ${order.customer.email.toLowerCase()},
              ${order.customer.phone ?? null}, ${order.customer.phone ? phoneDigits(order.customer.phone) : null}, ${order.customer.locale ?? null},
              ${order.currency}, ${o.status}::"OrderStatus", ${minor.shipping.amount}::bigint, ${minor.shipping.tax}::bigint, ${minor.total}::bigint, ${at}, ${at})
      RETURNING id
    ), new_lines AS (
      INSERT INTO order_lines (id, order_id, line_id, position, sku, description, quantity, unit_price, discount, tax, order_discount_share, shipped, released, location_id)
      SELECT gen_random_uuid(), new_order.id, l.line_id, l.position, l.sku, l.description, l.quantity, l.unit_price, l.discount, l.tax, l.order_discount_share, l.shipped, l.released, l.location_id
        FROM new_order, jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) AS l(line_id text, position int, sku text, description text, quantity bigint, unit_price bigint, discount bigint,
                                                                                  tax bigint, order_discount_share bigint, shipped bigint, released bigint, location_id text)
      RETURNING id, sku, location_id, quantity, shipped
    ), new_discounts AS (
      INSERT INTO order_discounts (id, order_id, code, amount, position)
      SELECT gen_random_uuid(), new_order.id, d.code, d.amount, d.position FROM new_order, jsonb_to_recordset(${JSON.stringify(discounts)}::jsonb) AS d(code text, amount bigint, position int)
    ), new_tenders AS (
      INSERT INTO tenders (id, order_id, tender_id, position, method, provider, provider_reference, brand, last4, authorized, captured)
      SELECT gen_random_uuid(), new_order.id, t.tender_id, t.position, t.method::"TenderMethod", t.provider::"PaymentProvider", t.provider_reference, t.brand, t.last4, t.authorized, t.captured
        FROM new_order, jsonb_to_recordset(${JSON.stringify(tenders)}::jsonb)
             AS t(tender_id text, position int, method text, provider text, provider_reference text, brand text, last4 text, authorized bigint, captured bigint)
    ), new_reservations AS (
      INSERT INTO inventory_reservations (id, order_id, order_line_id, location_id, sku, quantity, updated_at)
      SELECT gen_random_uuid(), ${o.orderId}::uuid, l.id, l.location_id, l.sku, l.quantity - l.shipped, ${at} FROM new_lines l WHERE l.quantity - l.shipped > 0
    )
    SELECT ${o.audit}`;
}

/** A gift card or store-credit tender's ledger account: opened for the customer, or checked to be theirs, in the currency and of the kind. */
async function openLedgerAccounts(tx: Prisma.TransactionClient, order: TImportOrder, minor: ReturnType<typeof toMinorUnits>) {
  for (const [i, t] of minor.tenders.entries()) {
    if (t.provider !== "internal") continue;
    const kind = t.method === "gift_card" ? "gift_card" : "store_credit";
    const account = await tx.ledgerAccount.findUnique({ where: { reference: t.providerReference } });
    if (account && account.customerId !== null && account.customerId !== order.customer.id) {
      // A gift card or store-credit account belongs to one customer: a refund to it must reach them.
      throw referenceInUse(`tenders.${i}.providerReference`, `${t.providerReference} belongs to another customer`);
    }
    if (account && (account.currency !== order.currency || account.kind !== kind)) {
      // A refund must never be credited to an account in another currency or of another kind.
      throw new AppError(ErrorCode.VALIDATION_FAILED, "The order is invalid.", [
        { path: `tenders.${i}.providerReference`, message: `${t.providerReference} is a ${account.kind} account in ${account.currency}` },
      ]);
    }
    if (!account) {
      await tx.ledgerAccount.create({ data: { kind, reference: t.providerReference, customerId: order.customer.id, currency: order.currency } });
    }
  }
}

/** PostgreSQL's unique_violation, as Prisma reports it for a model query (P2002) or a raw one (P2010 with the driver adapter's cause). */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)?.driverAdapterError?.cause;
  return error.code === "P2002" || (error.code === "P2010" && cause?.originalCode === "23505");
}

function duplicate(order: TImportOrder, orderId?: string) {
  return new AppError(ErrorCode.ORDER_ALREADY_EXISTS, `Order ${order.channel}/${order.externalId} was already imported.`, orderId ? { orderId } : undefined);
}

function referenceInUse(path: string, message: string) {
  return new AppError(ErrorCode.TENDER_REFERENCE_IN_USE, `A tender of this order is already in use: ${message}.`, [{ path, message }]);
}

/**
 * A PaymentIntent, PSP reference or PayPal authorization pays one order: cancelling one order
 * must never refund another's payment. Fast check here; the partial unique index on
 * tenders (provider, provider_reference) is the authoritative one.
 */
async function assertTenderReferencesFree(db: Db | Prisma.TransactionClient, order: TImportOrder) {
  for (const [i, t] of order.tenders.entries()) {
    if (t.provider === "internal") continue;
    const other = await db.tender.findFirst({ where: { provider: t.provider, providerReference: t.providerReference }, select: { order: { select: { id: true, channel: true, externalId: true } } } });
    // The same order imported again (a race past the fast check) is a duplicate, not a conflict.
    if (other && other.order.channel === order.channel && other.order.externalId === order.externalId) throw duplicate(order, other.order.id);
    if (other) throw referenceInUse(`tenders.${i}.providerReference`, `${t.provider} ${t.providerReference} already pays order ${other.order.channel}/${other.order.externalId}`);
  }
}
