import { observedRoute } from "@/server/observability/observed-route";

export const dynamic = "force-dynamic";

/** Liveness for a load balancer or orchestrator: the process answers. It checks nothing else on purpose. */
export const GET = observedRoute(async (_req: Request) => Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } }), "/api/health/live");
