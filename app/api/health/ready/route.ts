import { getConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { checkReadinessShared, publicReadiness } from "@/server/health/health";
import { logger } from "@/server/observability/logger";
import { scrapeAllowed } from "@/server/observability/metrics-endpoint";
import { observedRoute } from "@/server/observability/observed-route";

export const dynamic = "force-dynamic";

/**
 * Readiness: 200 when the database answers, every migration is applied, a worker reported lately
 * and the broker (when configured) accepts a connection; 503 otherwise. Each check's details (why
 * not) go to the log and to callers with METRICS_TOKEN's bearer (everyone when no token is set);
 * others see only which checks are ok.
 */
export const GET = observedRoute(async (req: Request) => {
  const readiness = await checkReadinessShared(getDb());
  if (readiness.status !== "ready") logger().warn({ checks: readiness.checks }, "not ready");
  const trusted = scrapeAllowed(req.headers.get("authorization"), getConfig().observability.metricsToken);
  return Response.json(trusted ? readiness : publicReadiness(readiness), {
    status: readiness.status === "ready" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}, "/api/health/ready");
