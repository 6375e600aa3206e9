import type { Db } from "@/server/db/client";
import { readEmbedSession } from "@/server/auth/embed-session";
import { normalizeOrigin } from "./origins";
import { logger } from "@/server/observability/logger";

export interface FramingRequest {
  sessionCookie?: string | null;
  /** The `Referer` of the frame's navigation: the page that framed us, as the browser reports it. */
  referer?: string | null;
}

/**
 * The origin allowed to frame an embed page, if any. With a valid embed session: the origin the
 * session was opened for, while its CRM still allows it. Without one (the token exchange, the
 * refusal and expiry pages): the page that is framing us, when the browser says which (Referer)
 * and an active CRM allowlisted it. Never the whole allowlist: that would tell anyone which CRMs
 * use the app. A wrong Referer gains nothing, since the browser checks frame-ancestors against
 * the real ancestors. No database: nobody.
 */
export async function framingOrigin(db: Db, request: FramingRequest, now = new Date()): Promise<string | null> {
  try {
    const session = readEmbedSession(request.sessionCookie, now);
    const candidate = session?.origin ?? (request.referer ? refererOrigin(request.referer) : null);
    if (!candidate) return null;
    const client = await db.embedClient.findFirst({
      where: { active: true, allowedOrigins: { has: candidate }, ...(session ? { id: session.cid } : {}) },
      select: { id: true },
    });
    return client ? candidate : null;
  } catch (error) {
    logger().error({ err: error }, "embed: could not read the framing allowlist; refusing to be framed");
    return null;
  }
}

function refererOrigin(referer: string): string | null {
  try {
    return normalizeOrigin(new URL(referer).origin);
  } catch {
    return null;
  }
}
