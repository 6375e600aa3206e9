import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { assertSameOriginWrite, writeOriginOf } from "@/server/auth/csrf";
import { assertJsonDepth, readBodyText } from "@/server/http/request-body";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { observedRoute, type RouteLabels } from "@/server/observability/observed-route";
import { httpErrorResponse } from "@/server/http/errors";

// Before tRPC parses anything: the body (or a GET's `input`) is held to the size and depth limits.
// tRPC signs callers in only by cookie (session or embed session), and only mutations are
// POSTed: one that carries cookies must come from our own pages (SPEC §7).
async function admitted(req: Request): Promise<Request> {
  if (req.method === "GET" || req.method === "HEAD") {
    assertJsonDepth(new URL(req.url).searchParams.get("input") ?? "");
    return req;
  }
  if (req.headers.has("cookie")) assertSameOriginWrite(writeOriginOf(req));
  const text = await readBodyText(req);
  assertJsonDepth(text);
  return new Request(req.url, { method: req.method, headers: req.headers, body: text, signal: req.signal });
}

const procedures = new Set(Object.keys(appRouter._def.procedures));

// Each call's HTTP status, by its place in the batch, as tRPC reports its errors.
const callStatuses = new WeakMap<Request, Map<number, number>>();

/**
 * The metrics' route per call: the UI's httpBatchLink sends previews and submits in batches, and
 * the KPI rules (ops/prometheus) read them by procedure. Each call of a batch is one observation
 * labelled with its own procedure (never a name a caller made up: [unknown]) and its own status,
 * timed by the batch's answer, which is when its caller got it.
 */
function trpcRoute(req: Request, status: number): RouteLabels {
  let names: string[];
  try {
    names = decodeURIComponent(new URL(req.url).pathname.slice("/api/trpc/".length)).split(",");
  } catch {
    names = [""];
  }
  const statuses = callStatuses.get(req);
  const batched = new URL(req.url).searchParams.get("batch") === "1";
  return names.map((name, i) => ({
    route: procedures.has(name) ? `/api/trpc/${name}` : "/api/trpc/[unknown]",
    // A refusal before tRPC ran (size, CSRF) or of the whole request is every call's status.
    status: statuses?.get(i) ?? (batched && status === 207 ? 200 : status),
  }));
}

const handler = observedRoute(async (incoming: Request) => {
  let req: Request;
  try {
    req = await admitted(incoming);
  } catch (error) {
    return httpErrorResponse(error);
  }
  const statuses = new Map<number, number>();
  callStatuses.set(incoming, statuses);
  const names = new URL(req.url).pathname.slice("/api/trpc/".length).split(",");
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ req }),
    onError: ({ error, path }) => {
      const status = getHTTPStatusCodeFromError(error);
      // A batch may name one procedure twice: the first call not yet given a status is this one.
      const index = names.findIndex((n, i) => decodeURIComponentSafe(n) === path && !statuses.has(i));
      if (index >= 0) statuses.set(index, status);
    },
  });
}, trpcRoute);

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export { handler as GET, handler as POST };
