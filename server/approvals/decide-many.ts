import { z } from "zod";
import type { Actor } from "@/server/auth/permissions";
import { decideApproval } from "@/server/cancellations/decide-approval";
import type { Db } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";

export const BULK_DECISION_LIMIT = 50;

export const ZDecideManySchema = z
  .object({
    cancellationIds: z.array(z.string().min(1).max(100)).min(1).max(BULK_DECISION_LIMIT),
    decision: z.enum(["approved", "rejected"]),
    note: z.string().trim().max(1000).optional(),
  })
  .refine((v) => v.decision === "approved" || !!v.note, { path: ["note"], message: "a rejection needs a note" });

export type TDecideManyInput = z.input<typeof ZDecideManySchema>;

export type DecisionResult =
  | { cancellationId: string; ok: true; status: string; decidedAt: string | null }
  | { cancellationId: string; ok: false; code: string; message: string; status: string | null };

/**
 * Approve or reject several requests, each on its own through decideApproval
 * (its own transaction, its own lock, four eyes, limits and audit entry), so
 * that one another approver decided first, or one the actor may not decide,
 * is reported on its line and does not undo or stop the others.
 */
export async function decideMany({ db, actor }: { db: Db; actor: Actor }, input: unknown): Promise<{ results: DecisionResult[] }> {
  const { cancellationIds, decision, note } = ZDecideManySchema.parse(input);
  const results: DecisionResult[] = [];
  for (const cancellationId of [...new Set(cancellationIds)]) {
    try {
      const view = await decideApproval({ db, actor }, cancellationId, decision, { note });
      results.push({ cancellationId, ok: true, status: view.status, decidedAt: view.approval?.decidedAt ?? null });
    } catch (error) {
      // Only a refusal is a per-request result; anything else is a fault and is not hidden.
      if (!(error instanceof AppError) || error.code === ErrorCode.INTERNAL) throw error;
      const status = (error.details as { status?: unknown } | undefined)?.status;
      results.push({ cancellationId, ok: false, code: error.code, message: error.message, status: typeof status === "string" ? status : null });
    }
  }
  return { results };
}
