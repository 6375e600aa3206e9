import { createApiKey, ZCreateApiKeySchema } from "@/server/admin/api-keys/create-api-key";
import { listApiKeys } from "@/server/admin/api-keys/list-api-keys";
import { revokeApiKey, ZRevokeApiKeySchema } from "@/server/admin/api-keys/revoke-api-key";
import { searchAuditLog, ZSearchAuditLogSchema } from "@/server/admin/audit/search-audit-log";
import { verifyAuditChain } from "@/server/admin/audit/verify-audit-chain";
import { ZSaveBusinessRulesSchema } from "@/server/admin/business-rules/business-rules.schema";
import { compareBusinessRules, ZCompareBusinessRulesSchema } from "@/server/admin/business-rules/compare-business-rules";
import { getBusinessRulesForAdmin } from "@/server/admin/business-rules/get-business-rules-admin";
import { saveBusinessRules } from "@/server/admin/business-rules/save-business-rules";
import { completeManualRefundTask, ZCompleteManualRefundTaskSchema } from "@/server/admin/operations/complete-manual-refund-task";
import { listDeadLetters, ZListDeadLettersSchema } from "@/server/admin/operations/list-dead-letters";
import { listManualRefundTasks, ZListManualRefundTasksSchema } from "@/server/admin/operations/list-manual-refund-tasks";
import { listParkedEvents, ZListParkedEventsSchema } from "@/server/admin/operations/list-parked-events";
import { getProviderHealth } from "@/server/admin/operations/provider-health";
import { listInventoryDiscrepancies, resolveInventoryDiscrepancy, ZListDiscrepanciesSchema, ZResolveDiscrepancySchema } from "@/server/admin/operations/inventory-discrepancies";
import { resolveDeadLetterAsAdmin, ZResolveDeadLetterSchema } from "@/server/admin/operations/resolve-dead-letter";
import { retryDeadLetterAsAdmin, ZRetryDeadLetterSchema } from "@/server/admin/operations/retry-dead-letter";
import { retryParkedEventAsAdmin, ZRetryParkedEventSchema } from "@/server/admin/operations/retry-parked-event";
import { createUser, ZCreateUserSchema } from "@/server/admin/users/create-user";
import { listLoginAttempts, ZListLoginAttemptsSchema } from "@/server/admin/users/list-login-attempts";
import { listUsers } from "@/server/admin/users/list-users";
import { resetTotp, ZResetTotpSchema } from "@/server/admin/users/reset-totp";
import { updateUser, ZUpdateUserSchema } from "@/server/admin/users/update-user";
import { hasPermission, type Permission } from "@/server/auth/permissions";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { protectedProcedure, router } from "../trpc";
import { setApiKeyRateLimit, ZSetApiKeyRateLimitSchema } from "@/server/admin/api-keys/set-api-key-rate-limit";

// The console is for people. tRPC does not check API-key scopes, and no scope
// covers administration, so an API key never gets here, whatever its user's role.
const personProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.actor.kind !== "user") throw new AppError(ErrorCode.FORBIDDEN, "The admin console is for signed-in people, not API keys.");
  return next();
});

function adminProcedure(permission: Permission) {
  return personProcedure.use(({ ctx, next }) => {
    if (!hasPermission(ctx.actor, permission)) throw new AppError(ErrorCode.FORBIDDEN, `This needs the ${permission} permission.`);
    return next();
  });
}

// Dead letters, manual refunds and provider health have no permission of their
// own in SPEC §1; they are the system admin's ("everything").
const operationsProcedure = personProcedure.use(({ ctx, next }) => {
  if (ctx.actor.role !== "system_admin") throw new AppError(ErrorCode.FORBIDDEN, "Operations are for system admins.");
  return next();
});

const rules = adminProcedure("configure_business_rules");
const access = adminProcedure("manage_user_permissions");
const audit = adminProcedure("access_audit_logs");

export const adminRouter = router({
  rules: router({
    get: rules.query(({ ctx }) => getBusinessRulesForAdmin(ctx)),
    compare: rules.input(ZCompareBusinessRulesSchema).query(({ ctx, input }) => compareBusinessRules(ctx, input)),
    save: rules.input(ZSaveBusinessRulesSchema).mutation(({ ctx, input }) => saveBusinessRules(ctx, input)),
  }),
  users: router({
    list: access.query(({ ctx }) => listUsers(ctx)),
    create: access.input(ZCreateUserSchema).mutation(({ ctx, input }) => createUser(ctx, input)),
    update: access.input(ZUpdateUserSchema).mutation(({ ctx, input }) => updateUser(ctx, input)),
    resetTotp: access.input(ZResetTotpSchema).mutation(({ ctx, input }) => resetTotp(ctx, input)),
    loginAttempts: access.input(ZListLoginAttemptsSchema).query(({ ctx, input }) => listLoginAttempts(ctx, input)),
  }),
  apiKeys: router({
    list: access.query(({ ctx }) => listApiKeys(ctx)),
    create: access.input(ZCreateApiKeySchema).mutation(({ ctx, input }) => createApiKey(ctx, input)),
    revoke: access.input(ZRevokeApiKeySchema).mutation(({ ctx, input }) => revokeApiKey(ctx, input)),
    setRateLimit: access.input(ZSetApiKeyRateLimitSchema).mutation(({ ctx, input }) => setApiKeyRateLimit(ctx, input)),
  }),
  operations: router({
    deadLetters: operationsProcedure.input(ZListDeadLettersSchema).query(({ ctx, input }) => listDeadLetters(ctx, input)),
    retryDeadLetter: operationsProcedure.input(ZRetryDeadLetterSchema).mutation(({ ctx, input }) => retryDeadLetterAsAdmin(ctx, input)),
    resolveDeadLetter: operationsProcedure.input(ZResolveDeadLetterSchema).mutation(({ ctx, input }) => resolveDeadLetterAsAdmin(ctx, input)),
    manualRefundTasks: operationsProcedure.input(ZListManualRefundTasksSchema).query(({ ctx, input }) => listManualRefundTasks(ctx, input)),
    completeManualRefundTask: operationsProcedure.input(ZCompleteManualRefundTaskSchema).mutation(({ ctx, input }) => completeManualRefundTask(ctx, input)),
    parkedEvents: operationsProcedure.input(ZListParkedEventsSchema).query(({ ctx, input }) => listParkedEvents(ctx, input)),
    retryParkedEvent: operationsProcedure.input(ZRetryParkedEventSchema).mutation(({ ctx, input }) => retryParkedEventAsAdmin(ctx, input)),
    providerHealth: operationsProcedure.query(({ ctx }) => getProviderHealth(ctx)),
    inventoryDiscrepancies: operationsProcedure.input(ZListDiscrepanciesSchema).query(({ ctx, input }) => listInventoryDiscrepancies(ctx, input)),
    resolveInventoryDiscrepancy: operationsProcedure.input(ZResolveDiscrepancySchema).mutation(({ ctx, input }) => resolveInventoryDiscrepancy(ctx, input)),
  }),
  audit: router({
    search: audit.input(ZSearchAuditLogSchema).query(({ ctx, input }) => searchAuditLog(ctx, input)),
    verifyChain: audit.mutation(({ ctx }) => verifyAuditChain(ctx.db)),
  }),
});
