import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>;

export type ApprovalQueueView = Outputs["approval"]["queue"];
export type ApprovalQueueRow = ApprovalQueueView["requests"][number];
export type ApprovalRequestView = Outputs["approval"]["get"];
export type DecisionBlock = ApprovalQueueRow["block"];
