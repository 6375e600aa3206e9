import { meProcedure } from "./routers/me";
import { router } from "./trpc";

export const appRouter = router({
  me: meProcedure,
});

export type AppRouter = typeof appRouter;
