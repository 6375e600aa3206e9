import { ROLE_LABELS, ROLE_PERMISSIONS } from "@/server/auth/permissions";
import { protectedProcedure } from "../trpc";

export const meProcedure = protectedProcedure.query(({ ctx }) => ({
  userId: ctx.actor.userId,
  email: ctx.actor.email,
  name: ctx.actor.name,
  role: ctx.actor.role,
  roleLabel: ROLE_LABELS[ctx.actor.role],
  storeIds: ctx.actor.storeIds,
  permissions: ROLE_PERMISSIONS[ctx.actor.role],
}));
