import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextConfig } from "next";
import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import { MAX_BODY_BYTES } from "@/server/http/request-body";
// @ts-expect-error next.config.js is plain JavaScript (Next loads it as is)
import config from "@/next.config.js";

/*
 * The hottest call, a preview by API key (agents' and CRMs' traffic, SPEC §9's target), handed by
 * scripts/serve.ts straight to its route handler, past Next's router: the same handler (auth, rate
 * limit, logging, metrics, the answer), the same headers next.config.js gives /api, at about half
 * the app's CPU per preview (Next's routing, its request and response wrappers and its streamed
 * write were ≈ 1.5 ms of ≈ 3 ms). Anything else goes to Next as before: a session's preview
 * (next-auth reads Next's request context), another method, a path Next would redirect or decode
 * differently, a body without Content-Length or above the limit.
 */

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const PREVIEW_PATH = /^\/api\/v1\/orders\/([^/?#%]+)\/cancel-partial\/preview(\?.*)?$/;

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
  const { previewRoute } = (await import(handlers)) as { previewRoute: Handler };
  const headers = await configHeadersFor("/api/v1/orders/id/cancel-partial/preview");
  return (req, res) => {
    if (req.method !== "POST") return false;
    const match = PREVIEW_PATH.exec(req.url ?? "");
    const declared = Number(req.headers["content-length"]);
    if (!match || !/^Bearer\s/i.test(req.headers.authorization ?? "") || !(declared >= 0 && declared <= MAX_BODY_BYTES)) return false;
    void answer(req, res, previewRoute, { orderId: match[1]! }, headers);
    return true;
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
    const request = new Request(url, { method: "POST", headers: requestHeaders, body: chunks.length ? Buffer.concat(chunks) : null });
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
