import { exportAuditLog } from "@/server/admin/audit/export-audit-log";
import { hasPermission } from "@/server/auth/permissions";
import { requestMeta, resolveActor } from "@/server/auth/session-actor";
import { getDb } from "@/server/db/client";
import { AppError, ErrorCode } from "@/server/domain/errors";
import { httpErrorResponse } from "@/server/http/errors";

export const dynamic = "force-dynamic";

/** GET /admin/audit/export?actor=&orderId=&action=&dateFrom=&dateTo= → CSV, streamed. Signed-in admins only. */
export async function GET(req: Request) {
  try {
    const actor = await resolveActor(requestMeta(req.headers));
    if (!actor) throw new AppError(ErrorCode.UNAUTHENTICATED, "Sign in first.");
    // No API-key scope covers the audit log: exporting it is a person's act.
    if (actor.kind !== "user") throw new AppError(ErrorCode.FORBIDDEN, "The audit export is for signed-in users, not API keys.");
    if (!hasPermission(actor, "access_audit_logs")) throw new AppError(ErrorCode.FORBIDDEN, "This needs the access_audit_logs permission.");
    const filters = Object.fromEntries(new URL(req.url).searchParams);
    const rows = await exportAuditLog({ db: getDb(), actor }, filters);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await rows.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      },
      async cancel() {
        await rows.return(undefined);
      },
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-log-${stamp}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return httpErrorResponse(error);
  }
}
