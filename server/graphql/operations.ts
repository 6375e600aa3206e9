import { resolveOffsetConnection } from "@pothos/plugin-relay";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { listCancellations } from "@/server/cancellations/get-cancellation";
import { previewCancellation } from "@/server/cancellations/preview-cancellation";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { withdrawCancellation } from "@/server/cancellations/withdraw-cancellation";
import { findOrders } from "@/server/orders/search-orders";
import { ZSearchOrdersSchema } from "@/server/orders/search-orders.schema";
import { builder, requireScope } from "./builder";
import { CancellationStatus, RefundMethod } from "./enums";
import { PartialCancellationRef } from "./types/cancellation";
import { OrderRef } from "./types/order";
import { CancellationPreviewRef } from "./types/preview";

/*
 * SPEC §12: the third adapter. Every operation calls the use-case REST and tRPC call, with the
 * body REST would send, so validation, authorization, store isolation and the answer are theirs.
 */

const CancellationItemInput = builder.inputType("CancellationItemInput", {
  fields: (t) => ({
    orderLineId: t.string({ required: true, description: "The line's lineId." }),
    quantity: t.int({ required: true }),
  }),
});

const OverridesInput = builder.inputType("CancellationOverridesInput", {
  description: "SPEC §5, override_cancellation_rules only, with a note.",
  fields: (t) => ({ refundShipping: t.boolean(), noRefund: t.boolean() }),
});


interface RequestArgs {
  items: { orderLineId: string; quantity: number }[];
  reason: string;
  note?: string | null;
  refundMethod?: string | null;
  overrides?: { refundShipping?: boolean | null; noRefund?: boolean | null } | null;
  notifyCustomer?: boolean | null;
  previewVersion?: number | null;
}

const orUndefined = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

/** The arguments as REST's body (the seed's parallel arrays), so the use-case's zod schema judges them. */
function requestBody(args: RequestArgs) {
  return {
    orderLineIds: args.items.map((i) => i.orderLineId),
    quantities: args.items.map((i) => i.quantity),
    reason: args.reason,
    note: orUndefined(args.note),
    refundMethod: args.refundMethod ?? "original",
    previewVersion: orUndefined(args.previewVersion),
    notifyCustomer: orUndefined(args.notifyCustomer),
    overrides: args.overrides ? { refundShipping: orUndefined(args.overrides.refundShipping), noRefund: orUndefined(args.overrides.noRefund) } : undefined,
  };
}

builder.queryFields((t) => ({
  order: t.field({
    type: OrderRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    description: "null with a NOT_FOUND error for an order that does not exist or is outside the caller's stores.",
    resolve: (_root, args, ctx) => {
      requireScope(ctx, "orders:read");
      return String(args.id);
    },
  }),
  orders: t.connection({
    type: OrderRef,
    description: "Orders by id, external id, customer email, name or phone (its last 4 or more digits, any format), SKU, product or card last 4, newest first; a store manager sees only their stores. At most 50 a page.",
    args: {
      search: t.arg.string(),
      storeId: t.arg.string(),
      status: t.arg.string({ description: "An order status, e.g. OPEN." }),
    },
    resolve: async (_root, args, ctx) => {
      requireScope(ctx, "orders:read");
      const filters = ZSearchOrdersSchema.parse({ query: orUndefined(args.search), storeId: orUndefined(args.storeId), status: orUndefined(args.status) });
      return resolveOffsetConnection({ args, defaultSize: 20, maxSize: 50 }, async ({ offset, limit }) => {
        const { rows } = await findOrders(ctx, filters, { skip: offset, take: limit });
        return rows.map((o) => o.id);
      });
    },
  }),
  cancellation: t.field({
    type: PartialCancellationRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => {
      requireScope(ctx, "orders:read");
      return String(args.id);
    },
  }),
  cancellations: t.field({
    type: [PartialCancellationRef],
    nullable: true,
    args: {
      orderId: t.arg.id({ required: true }),
      status: t.arg({ type: CancellationStatus }),
      dateFrom: t.arg.string({ description: "YYYY-MM-DD, inclusive (UTC)." }),
      dateTo: t.arg.string({ description: "YYYY-MM-DD, inclusive (UTC)." }),
    },
    description: "An order's cancellations, newest first, as GET /api/v1/orders/{orderId}/cancellations filters them.",
    resolve: async (_root, args, ctx) => {
      requireScope(ctx, "orders:read");
      const { cancellations } = await listCancellations(ctx, String(args.orderId), {
        status: orUndefined(args.status),
        dateFrom: orUndefined(args.dateFrom),
        dateTo: orUndefined(args.dateTo),
      });
      return cancellations.map((c) => c.cancellationId);
    },
  }),
  cancellationPreview: t.field({
    type: CancellationPreviewRef,
    nullable: true,
    args: {
      orderId: t.arg.id({ required: true }),
      items: t.arg({ type: [CancellationItemInput], required: true }),
      reason: t.arg.string({ required: true }),
      note: t.arg.string(),
      refundMethod: t.arg({ type: RefundMethod }),
      overrides: t.arg({ type: OverridesInput }),
    },
    resolve: (_root, args, ctx) => {
      requireScope(ctx, "orders:read");
      return previewCancellation(ctx, String(args.orderId), requestBody(args));
    },
  }),
}));

builder.mutationFields((t) => ({
  cancelPartialQuantity: t.field({
    type: PartialCancellationRef,
    nullable: true,
    description:
      "Submit (SPEC §6): the same idempotencyKey with the same arguments answers the first answer again; with others IDEMPOTENCY_KEY_REUSED. A stale previewVersion is STALE_PREVIEW with the fresh preview in extensions.details.preview.",
    args: {
      orderId: t.arg.id({ required: true }),
      items: t.arg({ type: [CancellationItemInput], required: true }),
      reason: t.arg.string({ required: true }),
      note: t.arg.string(),
      refundMethod: t.arg({ type: RefundMethod }),
      previewVersion: t.arg.int(),
      idempotencyKey: t.arg.string({ required: true }),
      overrides: t.arg({ type: OverridesInput }),
      notifyCustomer: t.arg.boolean(),
    },
    resolve: async (_root, args, ctx) => {
      requireScope(ctx, "cancellations:write");
      const answer = await submitCancellation(ctx, String(args.orderId), requestBody(args), { idempotencyKey: args.idempotencyKey });
      return answer.body;
    },
  }),
  approveCancellation: t.field({
    type: PartialCancellationRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }), note: t.arg.string() },
    resolve: (_root, args, ctx) => {
      requireScope(ctx, "cancellations:approve");
      return decideApproval(ctx, String(args.id), "approved", { note: orUndefined(args.note) });
    },
  }),
  rejectCancellation: t.field({
    type: PartialCancellationRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }), note: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => {
      requireScope(ctx, "cancellations:approve");
      return decideApproval(ctx, String(args.id), "rejected", { note: args.note });
    },
  }),
  withdrawCancellation: t.field({
    type: PartialCancellationRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }), note: t.arg.string() },
    resolve: (_root, args, ctx) => {
      requireScope(ctx, "cancellations:write");
      return withdrawCancellation(ctx, String(args.id), { note: orUndefined(args.note) });
    },
  }),
}));
