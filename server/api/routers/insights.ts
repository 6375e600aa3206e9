import { getInsights, ZInsightsSchema } from "@/server/insights/get-insights";
import { permissionProcedure, router } from "../trpc";

export const insightsRouter = router({
  get: permissionProcedure("approve_cancellations")
    .input(ZInsightsSchema)
    .query(({ ctx, input }) => getInsights(ctx, input)),
});
