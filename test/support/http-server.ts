import { readdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/*
 * A test server: real HTTP on loopback, serving the app's API route handlers (every route.ts
 * under app/api) as Next's router would match them, in this process, so a test file's database,
 * mocks and query counters apply. Static segments beat [param]s, and a [...catchAll] comes last.
 */
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface Route {
  pattern: RegExp;
  names: string[];
  rank: number;
  module: Record<string, unknown>;
}

const API = path.resolve(import.meta.dirname, "../../app/api");

async function loadRoutes(): Promise<Route[]> {
  const files = readdirSync(API, { recursive: true, encoding: "utf8" }).filter((f) => path.basename(f) === "route.ts");
  const routes: Route[] = [];
  for (const file of files) {
    const segments = path.dirname(file).split(path.sep).filter((s) => s !== ".");
    const names: string[] = [];
    let rank = 0;
    const source = segments
      .map((segment) => {
        const catchAll = segment.match(/^\[\.\.\.(\w+)\]$/);
        if (catchAll) {
          names.push(catchAll[1]!);
          rank += 1000;
          return "(.+)";
        }
        const param = segment.match(/^\[(\w+)\]$/);
        if (param) {
          names.push(param[1]!);
          rank += 1;
          return "([^/]+)";
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    routes.push({ pattern: new RegExp(`^/api/${source}$`), names, rank, module: (await import(path.join(API, file))) as Record<string, unknown> });
  }
  return routes.sort((a, b) => a.rank - b.rank);
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const routes = await loadRoutes();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
      const route = routes.find((r) => r.pattern.test(url.pathname));
      const handler = route?.module[req.method ?? "GET"] as Handler | undefined;
      if (!route || !handler) {
        res.writeHead(route ? 405 : 404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: route ? "METHOD_NOT_ALLOWED" : "NOT_FOUND", message: "no route" } }));
        return;
      }
      const match = url.pathname.match(route.pattern)!;
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      headers.set("x-forwarded-for", headers.get("x-forwarded-for") ?? "127.0.0.1");
      const request = new Request(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      const response = await handler(request, { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
