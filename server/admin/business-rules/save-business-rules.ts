import { type Actor, hasPermission } from "@/server/auth/permissions";
import { businessRulesChanged, getBusinessRules } from "@/server/rules/business-rules";
import type { Db } from "@/server/db/client";
import type { BusinessRulesConfig } from "@/server/domain/approval-policy";
import { AppError, ErrorCode } from "@/server/domain/errors";
import type { Prisma } from "@/server/generated/prisma/client";
import { recordAdminAudit } from "../admin-audit";
import { ZSaveBusinessRulesSchema } from "./business-rules.schema";

// Serialises saves, so that two admins cannot both write version N+1 from N.
const RULES_LOCK = 72707371;

const KEYS = ["agentLimits", "managerLimitMultiple", "velocity", "reasonCodes", "shippingPolicy", "approvalExpiryHours"] as const;

function changedKeys(before: BusinessRulesConfig, after: BusinessRulesConfig) {
  return KEYS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/**
 * Saves the rules as a new version (the newest one is in force from the next
 * preview on, in every app instance: each preview reads the newest version number with the order). Reason codes
 * are retired, never deleted, so that old cancellations keep their meaning.
 */
export async function saveBusinessRules({ db, actor }: { db: Db; actor: Actor }, input: unknown) {
  const { baseVersion, rules } = ZSaveBusinessRulesSchema.parse(input);
  const result = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RULES_LOCK})`;
    const current = await getBusinessRules(tx);
    if (current.version !== baseVersion) {
      throw new AppError(
        ErrorCode.INVALID_STATE,
        `Someone saved version ${current.version} of the rules after you opened version ${baseVersion}; reload to see it, then make your change again.`,
        { currentVersion: current.version },
      );
    }
    const removed = current.rules.reasonCodes.filter((old) => !rules.reasonCodes.some((r) => r.code === old.code)).map((r) => r.code);
    if (removed.length) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `Reason codes are retired, not deleted: ${removed.join(", ")}.`, [
        { path: "reasonCodes", message: `retire ${removed.join(", ")} instead of removing ${removed.length === 1 ? "it" : "them"}` },
      ]);
    }
    const changes = changedKeys(current.rules, rules);
    if (changes.includes("reasonCodes") && !hasPermission(actor, "modify_cancellation_reasons")) {
      throw new AppError(ErrorCode.FORBIDDEN, "Changing reason codes needs the modify_cancellation_reasons permission.");
    }
    const version = current.version + 1;
    const row = await tx.businessRules.create({ data: { version, rules, createdById: actor.userId } });
    await recordAdminAudit(tx, actor, {
      action: "business_rules.updated",
      entity: "business_rules",
      entityId: String(version),
      details: {
        version,
        previousVersion: current.version,
        changed: changes,
        before: Object.fromEntries(changes.map((k) => [k, current.rules[k]])),
        after: Object.fromEntries(changes.map((k) => [k, rules[k]])),
      } as Prisma.InputJsonObject,
    });
    return { version, createdAt: row.createdAt.toISOString(), changed: changes };
  });
  // This process's cache at once; the others hear the trigger's NOTIFY.
  businessRulesChanged(db);
  return result;
}
