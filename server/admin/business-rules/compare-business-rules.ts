import { z } from "zod";
import type { Db } from "@/server/db/client";
import { type BusinessRulesConfig, DEFAULT_BUSINESS_RULES } from "@/server/domain/approval-policy";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { describeRuleChanges } from "./rule-changes";

export const ZCompareBusinessRulesSchema = z.object({
  /** Version 0 is the standard rules, in force before anyone saved a version. */
  from: z.number().int().min(0),
  to: z.number().int().min(0),
});

async function rulesOf(db: Db, version: number): Promise<BusinessRulesConfig> {
  if (version === 0) return DEFAULT_BUSINESS_RULES;
  const row = await db.businessRules.findUnique({ where: { version } });
  if (!row) throw new AppError(ErrorCode.NOT_FOUND, `There is no version ${version} of the rules.`);
  return { ...DEFAULT_BUSINESS_RULES, ...(row.rules as object) } as BusinessRulesConfig;
}

/** What changed from one saved version of the rules to another, field by field. */
export async function compareBusinessRules({ db }: { db: Db }, input: unknown) {
  const { from, to } = ZCompareBusinessRulesSchema.parse(input);
  const [before, after] = await Promise.all([rulesOf(db, from), rulesOf(db, to)]);
  return { from, to, changes: describeRuleChanges(before, after) };
}
