import { z } from "zod";
import { listNotices, markNoticesRead } from "@/server/notifications/staff-notices";
import { protectedProcedure, router } from "../trpc";

export const ZMarkNoticesReadSchema = z.object({ ids: z.array(z.uuid()).max(100).optional(), all: z.boolean().optional() });

/** The signed-in person's in-app notices (decisions on their requests, requests awaiting them). */
export const noticesRouter = router({
  list: protectedProcedure.query(({ ctx }) => listNotices(ctx)),
  markRead: protectedProcedure.input(ZMarkNoticesReadSchema).mutation(({ ctx, input }) => markNoticesRead(ctx, input)),
});
