import { getApprovalRequest, ZGetApprovalRequestSchema } from "@/server/approvals/get-approval-request";
import { listApprovalQueue, ZListApprovalQueueSchema } from "@/server/approvals/list-approval-queue";
import { permissionProcedure, router } from "../trpc";

// Deciding goes through cancellation.approve / cancellation.reject (decideApproval).
export const approvalRouter = router({
  queue: permissionProcedure("approve_cancellations")
    .input(ZListApprovalQueueSchema)
    .query(({ ctx, input }) => listApprovalQueue(ctx, input)),
  get: permissionProcedure("approve_cancellations")
    .input(ZGetApprovalRequestSchema)
    .query(({ ctx, input }) => getApprovalRequest(ctx, input)),
});
