import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { errorResponse } from "@/server/api/error-mapping";
import { assertSameOriginWrite, writeOriginOf } from "@/server/auth/csrf";
import { assertJsonDepth, readBodyText } from "@/server/api/request-body";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";

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

async function handler(incoming: Request) {
  let req: Request;
  try {
    req = await admitted(incoming);
  } catch (error) {
    const { status, body } = errorResponse(error);
    return Response.json(body, { status });
  }
  return fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => createContext({ req }) });
}

export { handler as GET, handler as POST };
