import { z } from "zod";
import { ZCancellationRequestSchema } from "@/server/cancellations/cancellation-request.schema";
import { decideApproval } from "@/server/cancellations/decide-approval";
import { withdrawCancellation } from "@/server/cancellations/withdraw-cancellation";
import { getCancellation, listCancellations, ZListCancellationsSchema } from "@/server/cancellations/get-cancellation";
import { listMyRequests, ZListMyRequestsSchema } from "@/server/cancellations/list-my-requests";
import { previewCancellation } from "@/server/cancellations/preview-cancellation";
import { submitCancellation } from "@/server/cancellations/submit-cancellation";
import { getBusinessRules } from "@/server/rules/business-rules";
import { listCustomerMessages } from "@/server/notifications/list-customer-messages";
import { previewCustomerEmail } from "@/server/notifications/preview-customer-email";
import { permissionProcedure, router } from "../trpc";

const ZOrderCancellation = z.object({ orderId: z.string(), cancellationId: z.string() });

export const cancellationRouter = router({
  /** The reason codes an agent may choose now (admins add, retire and change them). */
  reasonCodes: permissionProcedure("view_order_details").query(async ({ ctx }) =>
    (await getBusinessRules(ctx.db)).rules.reasonCodes.filter((r) => r.active).map((r) => ({ code: r.code, requiresNote: r.requiresNote })),
  ),
  preview: permissionProcedure("view_order_details")
    .input(z.object({ orderId: z.string(), request: ZCancellationRequestSchema }))
    .query(({ ctx, input }) => previewCancellation(ctx, input.orderId, input.request)),
  /** The email the customer will get when this cancellation completes. */
  emailPreview: permissionProcedure("view_order_details")
    .input(z.object({ orderId: z.string(), request: ZCancellationRequestSchema }))
    .query(({ ctx, input }) => previewCustomerEmail(ctx, input.orderId, input.request)),
  submit: permissionProcedure("cancel_partial_quantity")
    .input(z.object({ orderId: z.string(), idempotencyKey: z.string().min(1).max(255), request: ZCancellationRequestSchema, waitMs: z.number().int().min(0).max(10_000).optional() }))
    .mutation(async ({ ctx, input }) => {
      const answer = await submitCancellation(ctx, input.orderId, input.request, { idempotencyKey: input.idempotencyKey, waitMs: input.waitMs });
      return answer.body;
    }),
  get: permissionProcedure("view_order_details")
    .input(ZOrderCancellation)
    .query(({ ctx, input }) => getCancellation(ctx, input.orderId, input.cancellationId)),
  /** The emails sent (or not) to the customer about one cancellation. */
  messages: permissionProcedure("view_order_details")
    .input(ZOrderCancellation)
    .query(({ ctx, input }) => listCustomerMessages(ctx, input.orderId, input.cancellationId)),
  list: permissionProcedure("view_order_details")
    .input(ZListCancellationsSchema.extend({ orderId: z.string() }))
    .query(async ({ ctx, input }) => (await listCancellations(ctx, input.orderId, input)).cancellations),
  /** The signed-in person's own requests (pending, decided, failed), for "My requests". */
  mine: permissionProcedure("cancel_partial_quantity")
    .input(ZListMyRequestsSchema)
    .query(({ ctx, input }) => listMyRequests(ctx, input)),
  approve: permissionProcedure("approve_cancellations")
    .input(z.object({ cancellationId: z.string(), note: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) => decideApproval(ctx, input.cancellationId, "approved", { note: input.note })),
  reject: permissionProcedure("approve_cancellations")
    .input(z.object({ cancellationId: z.string(), note: z.string().max(1000) }))
    .mutation(({ ctx, input }) => decideApproval(ctx, input.cancellationId, "rejected", { note: input.note })),
  /** The requester (or a system admin) withdraws a pending request; the use-case checks who. */
  withdraw: permissionProcedure("cancel_partial_quantity")
    .input(z.object({ cancellationId: z.string(), note: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) => withdrawCancellation(ctx, input.cancellationId, { note: input.note })),
});
