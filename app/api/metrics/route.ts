import { getConfig } from "@/server/config";
import { METRICS_CONTENT_TYPE, metricsText, scrapeAllowed } from "@/server/observability/metrics-endpoint";

export const dynamic = "force-dynamic";

/** Prometheus' scrape of the app (every process of `npm start` summed); Bearer METRICS_TOKEN when it is set. */
export async function GET(req: Request) {
  if (!scrapeAllowed(req.headers.get("authorization"), getConfig().observability.metricsToken)) {
    return new Response("Send Authorization: Bearer <METRICS_TOKEN>\n", { status: 401, headers: { "content-type": "text/plain", "www-authenticate": "Bearer" } });
  }
  return new Response(await metricsText(), { headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } });
}
