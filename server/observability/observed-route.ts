import { randomUUID } from "node:crypto";
import { accessLogger, withLogContext } from "./logger";
import { metrics } from "./metrics";

type RouteContext = { params?: Promise<Record<string, string | string[]>> } | undefined;

/**
 * The route template of a request (`/api/v1/orders/[orderId]/cancel-partial`), rebuilt from its
 * path and the dynamic segments Next resolved, so that the label never carries an id.
 */
export function routeTemplate(pathname: string, params: Record<string, string | string[]>): string {
  const byValue = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string") byValue.set(value, `[${name}]`);
  }
  return pathname
    .split("/")
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // left as sent
      }
      return byValue.get(decoded) ?? segment;
    })
    .join("/");
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** One request's observations: usually one, a route's; a tRPC batch's are one per call it carried. */
export type RouteLabels = string | { route: string; status: number }[];

/**
 * Wraps a route handler: its request gets a requestId (the caller's X-Request-Id when it is a
 * plain token, else a new one, sent back in the answer) that every log line inside carries; it is
 * timed into pc_http_request_duration_seconds and logged once when answered. `route` names the
 * template; without it the template is rebuilt from the path and params (every segment of a
 * dynamic route is a param).
 */
export function observedRoute<A extends [Request, ...unknown[]]>(
  handler: (...args: A) => Promise<Response>,
  route?: string | ((req: Request, status: number) => RouteLabels),
): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    const [req, ctx] = args as unknown as [Request, RouteContext];
    const given = req.headers.get("x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    return withLogContext({ requestId }, async () => {
      const started = performance.now();
      let status = 500;
      try {
        const response = await handler(...args);
        status = response.status;
        try {
          response.headers.set("x-request-id", requestId);
        } catch {
          // an immutable answer keeps its headers
        }
        return response;
      } finally {
        const params = route ? {} : ((await ctx?.params?.catch(() => ({}))) ?? {});
        const labels = typeof route === "function" ? route(req, status) : (route ?? routeTemplate(new URL(req.url).pathname, params));
        const seconds = (performance.now() - started) / 1000;
        const observations = typeof labels === "string" ? [{ route: labels, status }] : labels;
        for (const o of observations) metrics().httpRequestDuration.observe({ route: o.route, method: req.method, status: String(o.status) }, seconds);
        const label = typeof labels === "string" ? labels : observations.length === 1 ? observations[0]!.route : "/api/trpc/[batch]";
        const line = { method: req.method, route: label, status, durationMs: Math.round(seconds * 1000), ...(typeof labels === "string" || observations.length === 1 ? {} : { calls: observations }) };
        if (status >= 500) accessLogger().error(line, "request failed");
        else accessLogger().info(line, "request");
      }
    });
  };
}
