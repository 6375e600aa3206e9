import { getBusinessRules } from "@/server/cancellations/business-rules";
import type { Db } from "@/server/db/client";

/** The rules in force, and who saved which version when. */
export async function getBusinessRulesForAdmin({ db }: { db: Db }) {
  const [current, history] = await Promise.all([
    getBusinessRules(db),
    db.businessRules.findMany({
      orderBy: { version: "desc" },
      take: 20,
      select: { version: true, createdAt: true, createdBy: { select: { name: true, email: true } } },
    }),
  ]);
  return {
    version: current.version,
    rules: current.rules,
    history: history.map((h) => ({ version: h.version, createdAt: h.createdAt.toISOString(), createdBy: h.createdBy?.name ?? null })),
  };
}
