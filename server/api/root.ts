import { adminRouter } from "./routers/admin";
import { approvalRouter } from "./routers/approval";
import { cancellationRouter } from "./routers/cancellation";
import { insightsRouter } from "./routers/insights";
import { meProcedure } from "./routers/me";
import { noticesRouter } from "./routers/notices";
import { orderRouter } from "./routers/order";
import { router } from "./trpc";

export const appRouter = router({
  me: meProcedure,
  order: orderRouter,
  cancellation: cancellationRouter,
  approval: approvalRouter,
  admin: adminRouter,
  notices: noticesRouter,
  insights: insightsRouter,
});

export type AppRouter = typeof appRouter;
