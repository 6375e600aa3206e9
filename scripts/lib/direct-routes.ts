import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextConfig } from "next";
import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import { MAX_BODY_BYTES } from "@/server/http/request-body";
// @ts-expect-error next.config.js is plain JavaScript (Next loads it as is)
import config from "@/next.config.js";

/*
 * The hot calls by API key (agents', CRMs' and order systems' traffic, SPEC §9's targets), handed
 * by scripts/serve.ts straight to their route handlers, past Next's router: the same handlers
 * (auth, rate limit, logging, metrics, the answer), the same headers next.config.js gives /api, at
 * about 1.5 ms less of the app's CPU per request (Next's routing, its request and response wrappers
 * and its streamed write): the preview (≈ 3 ms → 1.5 ms), and the rest of a cancellation's round,
 * the order's import, the submit, the order and the cancellation's status. Anything else goes to
 * Next as before: a session's call (next-auth reads Next's request context), another method or
 * route, a path Next would redirect or decode differently, a body without Content-Length or above
 * the limit, a GET with a body.
 */

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

// The routes taken: method, the path's pattern (no "%", no trailing "/", an optional query), the
// parameters' names, the handler's export in direct-route-handlers.cts, and a path of the route
// (for its next.config.js headers).
const ROUTES = [
  { method: "POST", path: /^\/api\/v1\/orders\/([^/?#%]+)\/cancel-partial\/preview(\?.*)?$/, params: ["orderId"], handler: "previewRoute", sample: "/api/v1/orders/id/cancel-partial/preview" },
  { method: "POST", path: /^\/api\/v1\/orders\/([^/?#%]+)\/cancel-partial(\?.*)?$/, params: ["orderId"], handler: "submitRoute", sample: "/api/v1/orders/id/cancel-partial" },
  { method: "POST", path: /^\/api\/v1\/orders(\?.*)?$/, params: [], handler: "importRoute", sample: "/api/v1/orders" },
  { method: "GET", path: /^\/api\/v1\/orders\/([^/?#%]+)(\?.*)?$/, params: ["orderId"], handler: "orderRoute", sample: "/api/v1/orders/id" },
  { method: "GET", path: /^\/api\/v1\/orders\/([^/?#%]+)\/cancellations\/([^/?#%]+)(\?.*)?$/, params: ["orderId", "cancellationId"], handler: "cancellationRoute", sample: "/api/v1/orders/id/cancellations/id" },
] as const;

/** The headers next.config.js gives `path`, in its order (a rule with conditions is refused: it cannot be decided here). */
export async function configHeadersFor(path: string, nextConfig: NextConfig = config as NextConfig): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const rule of (await nextConfig.headers?.()) ?? []) {
    if (getPathMatch(rule.source, { removeUnnamedParams: true, strict: true })(path) === false) continue;
    if (rule.has || rule.missing) throw new Error(`next.config.js's header rule ${rule.source} has conditions: the direct route cannot apply it`);
    for (const h of rule.headers) headers[h.key.toLowerCase()] = h.value;
  }
  return headers;
}

/**
 * A handler for serve.ts: answers the requests it takes and returns true, or returns false and
 * leaves the request untouched for Next.
 */
export async function directRoutes(): Promise<(req: IncomingMessage, res: ServerResponse) => boolean> {
  const handlers = "./direct-route-handlers.cts";
  const routes = (await import(handlers)) as Record<string, Handler>;
  const taken = await Promise.all(ROUTES.map(async (r) => ({ ...r, route: routes[r.handler]!, headers: await configHeadersFor(r.sample) })));
  return (req, res) => {
    if (!/^Bearer\s/i.test(req.headers.authorization ?? "")) return false;
    // A POST's body with its length declared and within the limit; a GET with none.
    const declared = Number(req.headers["content-length"] ?? (req.method === "GET" && !req.headers["transfer-encoding"] ? 0 : NaN));
    if (!(declared >= 0 && declared <= (req.method === "GET" ? 0 : MAX_BODY_BYTES))) return false;
    for (const r of taken) {
      if (req.method !== r.method) continue;
      const match = r.path.exec(req.url ?? "");
      if (!match) continue;
      void answer(req, res, r.route, Object.fromEntries(r.params.map((name, i) => [name, match[i + 1]!])), r.headers);
      return true;
    }
    return false;
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, route: Handler, params: Record<string, string>, configHeaders: Record<string, string>) {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const requestHeaders = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") requestHeaders.set(name, value);
      else if (value) for (const v of value) requestHeaders.append(name, v);
    }
    // A fixed origin: the handler reads only the path and query, and a Host header that is no host (`bad host`, `x:99999`) would make `new Request` throw.
    const url = `http://localhost${req.url}`;
    const request = new Request(url, { method: req.method, headers: requestHeaders, body: req.method === "POST" && chunks.length ? Buffer.concat(chunks) : null });
    const response = await route(request, { params: Promise.resolve(params) });
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = { ...configHeaders };
    response.headers.forEach((value, name) => (headers[name] = value));
    headers["content-length"] = String(body.length);
    res.writeHead(response.status, headers);
    res.end(body);
  } catch {
    // The route answers every error itself; this is the socket going away mid-request.
    if (!res.headersSent) res.writeHead(500, { "content-length": "0" });
    res.end();
  }
}
