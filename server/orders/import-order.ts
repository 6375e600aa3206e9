import type { Actor } from "@/server/auth/permissions";
import { recordAudit } from "@/server/audit/record-audit";
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

  // Fast check before the transaction; the unique index is the authoritative one.
  const existing = await db.order.findUnique({ where: { channel_externalId: { channel: order.channel, externalId: order.externalId } }, select: { id: true } });
  if (existing) throw duplicate(order, existing.id);

  let orderId: string;
  try {
    orderId = await db.$transaction(async (tx) => {
      // Two first imports of a new store at once: Prisma's upsert would let one fail on the primary key.
      await tx.$executeRaw`INSERT INTO stores (id, name) VALUES (${order.storeId}, ${order.storeId}) ON CONFLICT (id) DO NOTHING`;
      await assertTenderReferencesFree(tx, order);
      const created = await tx.order.create({
        data: {
          channel: order.channel,
          externalId: order.externalId,
          storeId: order.storeId,
          customerId: order.customer.id,
          customerName: order.customer.name,
          customerEmail: order.customer.email.toLowerCase(),
          customerPhone: order.customer.phone ?? null,
          customerPhoneDigits: order.customer.phone ? phoneDigits(order.customer.phone) : null,
          customerLocale: order.customer.locale ?? null,
          currency: order.currency,
          status,
          shippingAmount: minor.shipping.amount,
          shippingTax: minor.shipping.tax,
          total: minor.total,
          lines: {
            create: minor.lines.map((l, position) => ({
              lineId: l.lineId,
              position,
              sku: l.sku,
              description: l.description,
              quantity: l.quantity,
              unitPrice: l.unitPrice,
              discount: l.discount,
              tax: l.tax,
              orderDiscountShare: l.orderDiscountShare,
              shipped: l.shipped,
              released: l.released,
              locationId: l.locationId,
            })),
          },
          discounts: { create: minor.discounts.map((d, position) => ({ ...d, position })) },
          tenders: {
            create: minor.tenders.map((t, position) => ({
              tenderId: t.tenderId,
              position,
              method: t.method,
              provider: t.provider,
              providerReference: t.providerReference,
              brand: t.brand,
              last4: t.last4,
              authorized: t.authorized,
              captured: t.captured,
            })),
          },
        },
        include: { lines: true },
      });
      // Units not yet shipped are reserved at the line's location.
      await tx.inventoryReservation.createMany({
        data: created.lines
          .filter((l) => l.quantity - l.shipped > 0)
          .map((l) => ({ orderId: created.id, orderLineId: l.id, locationId: l.locationId, sku: l.sku, quantity: l.quantity - l.shipped })),
      });
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
      await recordAudit(tx, {
        actorType: actor.kind,
        actorId: actor.userId,
        action: "order.imported",
        entity: "order",
        entityId: created.id,
        orderId: created.id,
        ip: actor.ip,
        userAgent: actor.userAgent,
        channel: actor.channel,
        details: { channel: order.channel, externalId: order.externalId, total: minor.total, currency: order.currency },
      });
      return created.id;
    });
  } catch (error) {
    // Only the orders' (channel, externalId) index makes this a duplicate import.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const existing = await db.order.findUnique({ where: { channel_externalId: { channel: order.channel, externalId: order.externalId } }, select: { id: true } });
      if (existing) throw duplicate(order, existing.id);
      // The other unique index an import can hit: a racing import named the same provider reference.
      await assertTenderReferencesFree(db, order);
    }
    throw error;
  }
  // The order is stored; a failing follow-up (the provider fake in development) must not unsay that.
  await afterImport?.(orderId, order).catch((err: unknown) => logger().error({ err, orderId }, "after-import step failed"));
  return { orderId };
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
