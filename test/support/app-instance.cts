import http from "node:http";
import { POST as importRoute } from "@/app/api/v1/orders/route";
import { GET as orderRoute } from "@/app/api/v1/orders/[orderId]/route";
import { POST as submitRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/route";
import { POST as previewRoute } from "@/app/api/v1/orders/[orderId]/cancel-partial/preview/route";
import { GET as cancellationRoute } from "@/app/api/v1/orders/[orderId]/cancellations/[cancellationId]/route";

/*
 * One app instance for test/scale-out.test.ts: a process of its own (own database pool,
 * caches, LISTEN connection) serving the REST routes' real handlers over HTTP, without Next's
 * router, so that several start in seconds without a build. Prints its port when listening.
 */
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: [string, RegExp, Handler, string[]][] = [
  ["POST", /^\/api\/v1\/orders$/, importRoute as Handler, []],
  ["GET", /^\/api\/v1\/orders\/([^/]+)$/, orderRoute as Handler, ["orderId"]],
  ["POST", /^\/api\/v1\/orders\/([^/]+)\/cancel-partial$/, submitRoute as Handler, ["orderId"]],
  ["POST", /^\/api\/v1\/orders\/([^/]+)\/cancel-partial\/preview$/, previewRoute as Handler, ["orderId"]],
  ["GET", /^\/api\/v1\/orders\/([^/]+)\/cancellations\/([^/]+)$/, cancellationRoute as Handler, ["orderId", "cancellationId"]],
];

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const route = ROUTES.find(([method, path]) => method === req.method && path.test(url.pathname));
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const match = url.pathname.match(route[1])!;
    const params = Object.fromEntries(route[3].map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const response = await route[2](request, { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as { port: number }).port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
