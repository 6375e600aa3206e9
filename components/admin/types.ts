import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>["admin"];
type Inputs = inferRouterInputs<AppRouter>["admin"];

export type RulesView = Outputs["rules"]["get"];
export type RulesConfig = RulesView["rules"];
export type UsersView = Outputs["users"]["list"];
export type UserRow = UsersView["users"][number];
export type StoreOption = UsersView["stores"][number];
export type ApiKeysView = Outputs["apiKeys"]["list"];
export type DeadLetterRow = Outputs["operations"]["deadLetters"][number];
export type ManualRefundTaskRow = Outputs["operations"]["manualRefundTasks"][number];
export type AuditFilters = Omit<Inputs["audit"]["search"], "cursor" | "limit">;
export type AuditEntry = Outputs["audit"]["search"]["entries"][number];
