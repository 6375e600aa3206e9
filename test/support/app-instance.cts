/*
 * One app instance for test/scale-out.test.ts and server/observability/tracing.test.ts: a process
 * of its own (own database pool, caches, LISTEN connection) serving the REST routes' real handlers
 * over HTTP, without Next's router, so that several start in seconds without a build. Prints its
 * port when listening. A CommonJS file, as Next loads the server's external packages: pg and http
 * are required through Node's require, where OpenTelemetry's instrumentations patch them.
 */
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Routes = [string, RegExp, Handler, string[]][];

/* eslint-disable @typescript-eslint/no-require-imports -- loaded only after register(): see below */
function routes(): Routes {
  const { POST: importRoute } = require("@/app/api/v1/orders/route") as typeof import("@/app/api/v1/orders/route");
  const { GET: orderRoute } = require("@/app/api/v1/orders/[orderId]/route") as typeof import("@/app/api/v1/orders/[orderId]/route");
  const { POST: submitRoute } = require("@/app/api/v1/orders/[orderId]/cancel-partial/route") as typeof import("@/app/api/v1/orders/[orderId]/cancel-partial/route");
  const { POST: previewRoute } = require("@/app/api/v1/orders/[orderId]/cancel-partial/preview/route") as typeof import("@/app/api/v1/orders/[orderId]/cancel-partial/preview/route");
  const { GET: cancellationRoute } = require("@/app/api/v1/orders/[orderId]/cancellations/[cancellationId]/route") as typeof import("@/app/api/v1/orders/[orderId]/cancellations/[cancellationId]/route");
  return [
    ["POST", /^\/api\/v1\/orders$/, importRoute as Handler, []],
    ["GET", /^\/api\/v1\/orders\/([^/]+)$/, orderRoute as Handler, ["orderId"]],
    ["POST", /^\/api\/v1\/orders\/([^/]+)\/cancel-partial$/, submitRoute as Handler, ["orderId"]],
    ["POST", /^\/api\/v1\/orders\/([^/]+)\/cancel-partial\/preview$/, previewRoute as Handler, ["orderId"]],
    ["GET", /^\/api\/v1\/orders\/([^/]+)\/cancellations\/([^/]+)$/, cancellationRoute as Handler, ["orderId", "cancellationId"]],
  ];
}

async function main() {
  // The app's own start-up first, as Next calls it before loading any route: tracing (when
  // OTEL_EXPORTER_OTLP_ENDPOINT is set, so that pg and http are patched as they load), the saga's
  // queue, the fake's tender registration.
  process.env.NEXT_RUNTIME ??= "nodejs";
  const { register } = require("@/instrumentation") as typeof import("@/instrumentation");
  await register();
  const http = require("node:http") as typeof import("node:http");
  const table = routes();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const route = table.find(([method, path]) => method === req.method && path.test(url.pathname));
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
  // A clean stop flushes the spans not yet exported.
  const { startTracing } = require("@/server/observability/tracing") as typeof import("@/server/observability/tracing");
  process.on("SIGTERM", () => server.close(() => void startTracing("pc-app").then((t) => t?.shutdown()).finally(() => process.exit(0))));
}
void main();
