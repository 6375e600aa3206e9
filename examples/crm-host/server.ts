import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mintEmbedToken } from "./mint-embed-token";

// A stand-in for a CRM (docs/embedding.md): its backend holds the embed client's secret and
// mints a short-lived token for the signed-in CRM agent; its page frames the app's screens.
//   npx tsx examples/crm-host/server.ts   (with `npm run dev` on http://localhost:3000)
// The defaults match the dev-only `dev-crm` client that prisma/seed.ts registers.

export interface CrmHostOptions {
  appUrl: string;
  clientId: string;
  /** A function when the secret is known only once the host has its port (the e2e tests register then). */
  secret: string | (() => string);
  /** The CRM's signed-in agent, as the app knows them. */
  agentEmail: string;
  agentRole?: "customer_service_agent" | "store_manager";
  port?: number;
  host?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export async function startCrmHost(opts: CrmHostOptions): Promise<{ url: string; origin: string; close: () => Promise<void> }> {
  const [html, script] = await Promise.all([readFile(path.join(here, "index.html"), "utf8"), readFile(path.join(here, "host.js"), "utf8")]);
  const page = html.replace('<html lang="en">', `<html lang="en" data-app-url="${escapeAttr(opts.appUrl)}">`);
  let origin = "";

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", origin);
    if (req.method === "GET" && url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(page);
    } else if (req.method === "GET" && url.pathname === "/host.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    } else if (req.method === "POST" && url.pathname === "/api/embed-token") {
      // A real CRM checks its own session here; the sample only refuses other sites' pages.
      if (req.headers.origin !== origin) {
        res.writeHead(403).end();
        return;
      }
      const secret = typeof opts.secret === "function" ? opts.secret() : opts.secret;
      const token = mintEmbedToken({ clientId: opts.clientId, secret, email: opts.agentEmail, role: opts.agentRole ?? "customer_service_agent", origin });
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify({ token }));
    } else {
      res.writeHead(404).end();
    }
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the CRM host has no port");
  origin = `http://${opts.host ?? "127.0.0.1"}:${address.port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { DEV_EMBED_CLIENT } = await import("@/server/embed/seed-embed-clients");
  const host = await startCrmHost({
    appUrl: process.env.APP_URL ?? "http://localhost:3000",
    clientId: process.env.EMBED_CLIENT_ID ?? DEV_EMBED_CLIENT.id,
    secret: process.env.EMBED_CLIENT_SECRET ?? DEV_EMBED_CLIENT.secret,
    agentEmail: process.env.CRM_AGENT_EMAIL ?? "agent@example.com",
    port: Number(process.env.PORT ?? 3001),
  });
  console.log(`Sample CRM on ${host.url} (framing ${process.env.APP_URL ?? "http://localhost:3000"}). Open an order by its ID.`);
}
