import { z } from "zod";
import type { CancellationView } from "@/server/cancellations/cancellation-view";
import type { listCancellations } from "@/server/cancellations/get-cancellation";
import type { PreviewView } from "@/server/cancellations/preview-cancellation";
import { ErrorCode } from "@/server/domain/errors";
import type { OrderView } from "@/server/orders/order-view";

/*
 * The REST answers as zod schemas, for the OpenAPI document (server/rest/openapi/document.ts).
 * Strict objects, so the test that checks real answers against them (test/openapi.test.ts) fails
 * on a field the document does not name; and the type checks at the end fail `npm run typecheck`
 * when a view's fields stop fitting its schema.
 */

const money = z.string().regex(/^-?\d+(\.\d+)?$/).describe("A decimal string in major units of the answer's currency (SPEC §3), e.g. \"194.85\".");
const instant = z.iso.datetime({ offset: true });

export const ZImportAnswerSchema = z.object({ orderId: z.uuid() }).strict();

export const ZOrderAnswerSchema = z
  .object({
    orderId: z.uuid(),
    channel: z.string(),
    externalId: z.string(),
    storeId: z.string(),
    status: z.string().describe("OPEN, PARTIALLY_CANCELLED, CANCELLED, PARTIALLY_SHIPPED, SHIPPED or COMPLETED"),
    version: z.number().int(),
    currency: z.string(),
    createdAt: instant,
    customer: z
      .object({
        id: z.string(),
        name: z.string(),
        email: z.string(),
        phone: z.string().nullable().describe("As the channel gave it at import; null: none given. Masked like the email, all digits but the last 2 as *"),
        masked: z.boolean().describe("true: name, email and phone are masked (no read_order_pii)"),
      })
      .strict(),
    lines: z.array(
      z
        .object({
          lineId: z.string(),
          sku: z.string(),
          description: z.string(),
          quantity: z.number().int(),
          unitPrice: money,
          discount: money,
          tax: money,
          locationId: z.string(),
          shipped: z.number().int(),
          released: z.number().int(),
          cancelled: z.number().int(),
          pendingCancel: z.number().int(),
          cancellable: z.number().int(),
        })
        .strict(),
    ),
    discounts: z.array(z.object({ code: z.string(), amount: money }).strict()),
    shipping: z.object({ amount: money, tax: money }).strict(),
    total: money,
    tenders: z.array(
      z
        .object({
          tenderId: z.string(),
          method: z.string(),
          provider: z.string(),
          brand: z.string().nullable(),
          last4: z.string().nullable(),
          providerReference: z.string().nullable().describe("null (or a stored-value account's last 4) without read_payment_information"),
          authorized: money,
          captured: money,
          reversed: money,
          refunded: money,
        })
        .strict(),
    ),
  })
  .strict();

const breakdownLine = z.object({ orderLineId: z.string(), quantity: z.number().int(), subtotal: money, discount: money, tax: money, total: money }).strict();
const previewLine = breakdownLine.extend({ fromWarehouse: z.number().int().describe("units of this line the warehouse must stop (SPEC §11)") }).strict();
const warehouse = z
  .object({
    confirmationRequired: z.boolean(),
    refundUpTo: money.nullable(),
    waitingSince: z.string().nullable(),
    requestedAt: z.string().nullable(),
    answeredAt: z.string().nullable(),
    lines: z.array(
      z
        .object({
          orderLineId: z.string(),
          sku: z.string(),
          locationId: z.string().nullable(),
          requested: z.number().int(),
          stopped: z.number().int().nullable(),
          notStopped: z.number().int().nullable(),
          outcome: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict()
  .nullable()
  .describe("SPEC §11: what the warehouse was asked and answered per line; null when it was not asked");
const totals = z.object({ subtotal: money, discount: money, tax: money, shipping: money, shippingTax: money, total: money }).strict();
const allocation = z.object({ tenderId: z.string().nullable(), operation: z.enum(["reversal", "refund", "store_credit", "manual"]), amount: money }).strict();
const overrides = z.object({ refundShipping: z.boolean(), noRefund: z.boolean(), shippingAdded: money, notRefunded: money }).strict().nullable();

const proration = z
  .object({
    remaining: money.describe("what is left of the line's net (or tax) after earlier cancellations"),
    units: z.number().int(),
    of: z.number().int().describe("units of the line not yet cancelled or held"),
    rule: z.enum(["last_units_remainder", "proportional_half_up"]),
    unrounded: z.string().nullable().describe("remaining × units / of before rounding, cut one decimal past the currency's; null for the remainder rule"),
    unroundedExact: z.boolean().nullable(),
    result: money,
  })
  .strict();
const explanation = z
  .object({
    lines: z.array(
      z
        .object({
          orderLineId: z.string(),
          quantity: z.number().int(),
          fromWarehouse: z.number().int(),
          orderedQuantity: z.number().int(),
          unitPrice: money,
          gross: money,
          lineDiscount: money,
          orderDiscount: z
            .object({
              codes: z.array(z.object({ code: z.string(), amount: money }).strict()),
              total: money,
              share: money,
              lineValue: money,
              ordersValue: money,
              unrounded: z.string(),
              unroundedExact: z.boolean(),
            })
            .strict()
            .nullable(),
          net: money,
          taxCharged: money,
          earlier: z.object({ units: z.number().int(), net: money, tax: money }).strict(),
          merchandise: proration,
          tax: proration,
          noRefund: z.boolean(),
          refund: z.object({ subtotal: money, discount: money, merchandise: money, tax: money, total: money }).strict(),
        })
        .strict(),
    ),
    shipping: z
      .object({
        refunded: z.boolean(),
        reason: z.enum(["none_charged", "already_settled", "completes_order", "override", "no_refund_override", "policy_never", "units_shipped", "held_elsewhere", "units_left"]),
        shipping: money,
        shippingTax: money,
        due: money,
        taxDue: money,
        unitsLeft: z.number().int(),
        shippedUnits: z.number().int(),
        heldElsewhere: z.number().int(),
        dependsOnWarehouse: z.boolean(),
      })
      .strict(),
    tenders: z.array(
      z
        .object({
          tenderId: z.string(),
          method: z.string(),
          operation: z.enum(["reversal", "refund", "store_credit", "manual"]),
          amount: money,
          reason: z.enum(["uncaptured_authorization", "captured_refund", "store_credit", "manual_task"]),
          authorized: money,
          captured: money,
          reversible: money,
          refundable: money,
        })
        .strict(),
    ),
    refundMethod: z.enum(["original", "store_credit", "manual"]),
    total: money,
  })
  .strict()
  .describe("Why this amount (issue 15): the domain's own numbers per line (discount share, proration, rounding), the shipping decision and each tender's operation");

export const ZPreviewAnswerSchema = z
  .object({
    orderId: z.uuid(),
    currency: z.string(),
    previewVersion: z.number().int().describe("Send it back as the submit's previewVersion: a stale one is 409 STALE_PREVIEW with a fresh preview."),
    warehouseConfirmationRequired: z.boolean(),
    refundUpTo: money.nullable().describe("SPEC §11: with units from the warehouse, the refund is at most this"),
    lines: z.array(previewLine),
    totals,
    allocation: z.array(allocation.extend({ tenderId: z.string() }).strict()),
    approvalRequired: z.boolean(),
    approvalReasons: z.array(z.string()),
    approval: z
      .object({
        required: z.boolean(),
        reasons: z.array(z.string()),
        approverRole: z.string().nullable(),
        currency: z.string(),
        total: money,
        limitRole: z.string().nullable(),
        limit: money.nullable(),
        excess: money.nullable(),
        managerLimit: money.nullable().describe("manager_limit: the store manager's limit the total is over"),
        managerExcess: money.nullable(),
        velocity: z
          .object({
            otherOrdersWithCancellations24h: z.number().int(),
            otherOrdersThreshold: z.number().int(),
            refunded7d: money,
            refundedThreshold: money.nullable(),
            tooManyOtherOrders: z.boolean(),
            refundedTooMuch: z.boolean(),
          })
          .strict()
          .nullable(),
      })
      .strict(),
    overrides,
    explanation,
  })
  .strict();

const progress = z
  .object({ phase: z.string(), label: z.string(), summary: z.string(), manualRefund: z.object({ open: z.number().int(), amount: z.string() }).strict().nullable() })
  .strict();

export const CANCELLATION_STATUSES = ["pending_approval", "rejected", "awaiting_warehouse", "processing", "completed", "failed", "expired", "withdrawn"] as const;

export const ZCancellationAnswerSchema = z
  .object({
    cancellationId: z.uuid(),
    orderId: z.uuid(),
    status: z.enum(CANCELLATION_STATUSES),
    progress,
    currency: z.string(),
    refundAmount: money,
    refundMethod: z.enum(["original", "store_credit", "manual"]),
    reason: z.string(),
    note: z.string().nullable(),
    previewVersion: z.number().int(),
    createdAt: instant,
    completedAt: instant.nullable(),
    requestedBy: z.object({ userId: z.string(), name: z.string() }).strict(),
    approvalRequired: z.boolean(),
    approvalReasons: z.array(z.string()),
    approval: z.object({ decision: z.string(), decidedAt: instant, note: z.string().nullable(), decidedById: z.string().nullable(), decidedBy: z.object({ userId: z.string(), name: z.string() }).strict().nullable() }).strict().nullable(),
    overrides,
    shippingRefundAdded: z.object({ shipping: money, shippingTax: money, total: money, refunded: z.boolean() }).strict().nullable(),
    lines: z.array(previewLine),
    totals,
    allocation: z.array(allocation),
    refundDetails: z
      .object({
        total: money,
        allocation: z.array(
          z
            .object({
              tenderId: z.string().nullable(),
              method: z.string().nullable(),
              operation: z.string(),
              amount: money,
              status: z.enum(["pending", "succeeded", "failed", "manual_required"]),
              providerReference: z.string().nullable(),
              providerOutcome: z.object({ status: z.string(), attempts: z.number().int(), retryAt: instant.nullable() }).strict().nullable(),
              manualRefund: z.object({ origin: z.string(), verifyAtProvider: z.boolean(), status: z.string() }).strict().nullable(),
            })
            .strict(),
        ),
      })
      .strict(),
    timeline: z.array(z.object({ at: instant, step: z.string(), status: z.string(), detail: z.string().nullable() }).strict()),
    waitingFor: z.object({ providers: z.array(z.string()), message: z.string() }).strict().nullable(),
    warehouse,
  })
  .strict();

export const ZCancellationListAnswerSchema = z
  .object({
    cancellations: z.array(
      z
        .object({
          cancellationId: z.uuid(),
          status: z.enum(CANCELLATION_STATUSES),
          progress,
          refundAmount: money,
          currency: z.string(),
          refundMethod: z.enum(["original", "store_credit", "manual"]),
          reason: z.string(),
          createdAt: instant,
          requestedBy: z.object({ userId: z.string(), name: z.string() }).strict(),
          items: z.array(z.object({ orderLineId: z.string(), quantity: z.number().int(), description: z.string().describe("the line's product description (its SKU when it has none)") }).strict()),
        })
        .strict(),
    ),
  })
  .strict();

export const ZErrorAnswerSchema = z
  .object({
    error: z
      .object({
        code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
        message: z.string(),
        details: z.unknown().optional().describe("400: the fields at fault ([{path, message}]); STALE_PREVIEW: {preview}; RATE_LIMITED: {retryAfterSeconds, …}"),
      })
      .strict(),
  })
  .strict();

// Compile-time: each view fits its schema (a renamed or retyped field fails `npm run typecheck`).
type Fits<View, Schema extends z.ZodType> = View extends z.output<Schema> ? true : never;
export const VIEWS_FIT_SCHEMAS: [
  Fits<OrderView, typeof ZOrderAnswerSchema>,
  Fits<PreviewView, typeof ZPreviewAnswerSchema>,
  Fits<CancellationView, typeof ZCancellationAnswerSchema>,
  Fits<Awaited<ReturnType<typeof listCancellations>>, typeof ZCancellationListAnswerSchema>,
] = [true, true, true, true];
