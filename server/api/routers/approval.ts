import { decideMany, ZDecideManySchema } from "@/server/approvals/decide-many";
import { getApprovalRequest, ZGetApprovalRequestSchema } from "@/server/approvals/get-approval-request";
import { countDecidableApprovals, listApprovalQueue, ZListApprovalQueueSchema } from "@/server/approvals/list-approval-queue";
import { permissionProcedure, router } from "../trpc";

// Deciding one goes through cancellation.approve / cancellation.reject (decideApproval); decideMany calls it per request.
export const approvalRouter = router({
  queue: permissionProcedure("approve_cancellations")
    .input(ZListApprovalQueueSchema)
    .query(({ ctx, input }) => listApprovalQueue(ctx, input)),
  count: permissionProcedure("approve_cancellations").query(({ ctx }) => countDecidableApprovals(ctx)),
  get: permissionProcedure("approve_cancellations")
    .input(ZGetApprovalRequestSchema)
    .query(({ ctx, input }) => getApprovalRequest(ctx, input)),
  decideMany: permissionProcedure("approve_cancellations")
    .input(ZDecideManySchema)
    .mutation(({ ctx, input }) => decideMany(ctx, input)),
});
