import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type OrderView = Outputs["order"]["get"];
export type OrderLineView = OrderView["lines"][number];
export type TenderView = OrderView["tenders"][number];
export type OrderSearchResult = Outputs["order"]["search"];
export type OrderSearchRow = OrderSearchResult["orders"][number];
export type OrderSearchInput = Inputs["order"]["search"];
export type PreviewView = Outputs["cancellation"]["preview"];
export type SubmitResultView = Outputs["cancellation"]["submit"];
export type CancellationView = Outputs["cancellation"]["get"];
export type CancellationRequest = Inputs["cancellation"]["preview"]["request"];
