import type { Db } from "@/server/db/client";
import { type BusinessRulesConfig, DEFAULT_BUSINESS_RULES } from "@/server/domain/approval-policy";
import type { Prisma } from "@/server/generated/prisma/client";

/** The newest version of the business rules; the defaults of SPEC §5 until an admin saves one. */
export async function getBusinessRules(db: Db | Prisma.TransactionClient): Promise<{ version: number; rules: BusinessRulesConfig }> {
  const row = await db.businessRules.findFirst({ orderBy: { version: "desc" } });
  if (!row) return { version: 0, rules: DEFAULT_BUSINESS_RULES };
  return { version: row.version, rules: { ...DEFAULT_BUSINESS_RULES, ...(row.rules as object) } as BusinessRulesConfig };
}
