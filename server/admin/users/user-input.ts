import { z } from "zod";
import type { Role } from "@/server/auth/permissions";
import { ROLES } from "@/server/auth/permissions";
import type { Prisma } from "@/server/generated/prisma/client";
import { AppError, ErrorCode } from "@/server/domain/errors";

export const ZRole = z.enum(ROLES);
export const ZStoreIds = z.array(z.string().trim().min(1).max(50)).max(100);

/**
 * Store assignments only mean something for store managers (SPEC §1: agents and
 * admins see every store); a manager needs at least one, and each must exist.
 */
export async function checkedStoreIds(tx: Prisma.TransactionClient, role: Role, storeIds: string[]): Promise<string[]> {
  if (role !== "store_manager") return [];
  const unique = [...new Set(storeIds)];
  if (unique.length === 0) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, "A store manager needs at least one store.", [{ path: "storeIds", message: "choose at least one store" }]);
  }
  const found = await tx.store.findMany({ where: { id: { in: unique } }, select: { id: true } });
  const missing = unique.filter((id) => !found.some((s) => s.id === id));
  if (missing.length) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `Unknown store: ${missing.join(", ")}.`, [{ path: "storeIds", message: `unknown store ${missing.join(", ")}` }]);
  }
  return unique;
}
