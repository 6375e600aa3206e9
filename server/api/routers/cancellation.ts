import { z } from "zod";
import { ZCancellationRequestSchema } from "@/server/cancellations/cancellation-request.schema";
import { previewCancellation } from "@/server/cancellations/preview-cancellation";
import { permissionProcedure, router } from "../trpc";

export const cancellationRouter = router({
  preview: permissionProcedure("view_order_details")
    .input(z.object({ orderId: z.string(), request: ZCancellationRequestSchema }))
    .query(({ ctx, input }) => previewCancellation(ctx, input.orderId, input.request)),
});
