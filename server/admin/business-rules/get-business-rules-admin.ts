import { getBusinessRules } from "@/server/rules/business-rules";
import type { Db } from "@/server/db/client";
import { type BusinessRulesConfig, DEFAULT_BUSINESS_RULES } from "@/server/domain/approval-policy";
import { describeRuleChanges } from "./rule-changes";

const HISTORY = 20;

/** The rules in force, and who saved which version when, with what each version changed. */
export async function getBusinessRulesForAdmin({ db }: { db: Db }) {
  const [current, rows] = await Promise.all([
    getBusinessRules(db),
    // One more than shown, so that the oldest shown version has its predecessor to compare with.
    db.businessRules.findMany({
      orderBy: { version: "desc" },
      take: HISTORY + 1,
      select: { version: true, rules: true, createdAt: true, createdBy: { select: { name: true, email: true } } },
    }),
  ]);
  const rulesOf = (r: { rules: unknown }) => ({ ...DEFAULT_BUSINESS_RULES, ...(r.rules as object) }) as BusinessRulesConfig;
  return {
    version: current.version,
    rules: current.rules,
    history: rows.slice(0, HISTORY).map((h, i) => {
      const previous = rows[i + 1];
      // Version 1's predecessor is the standard rules; an older one beyond the page is unknown here.
      const base = previous ? rulesOf(previous) : h.version === 1 ? DEFAULT_BUSINESS_RULES : null;
      return {
        version: h.version,
        createdAt: h.createdAt.toISOString(),
        createdBy: h.createdBy?.name ?? null,
        createdByEmail: h.createdBy?.email ?? null,
        changed: base ? describeRuleChanges(base, rulesOf(h)).map((c) => c.label) : null,
      };
    }),
  };
}
