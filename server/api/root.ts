import { cancellationRouter } from "./routers/cancellation";
import { meProcedure } from "./routers/me";
import { orderRouter } from "./routers/order";
import { router } from "./trpc";

export const appRouter = router({
  me: meProcedure,
  order: orderRouter,
  cancellation: cancellationRouter,
});

export type AppRouter = typeof appRouter;
