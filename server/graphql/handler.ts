import { AppError, ErrorCode } from "@/server/domain/errors";
import { toHttpError } from "@/server/http/errors";
import { assertStorableStrings, parseJsonText, readBodyText } from "@/server/http/request-body";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import { authenticateCaller, refusalHeaders } from "@/server/rest/handler";
import { rateLimitHeaders, type RateState } from "@/server/rest/rate-limit";
import { createGraphqlYoga, type GraphqlYoga } from "./yoga";

let yoga: GraphqlYoga | undefined;
const defaultYoga = () => (yoga ??= createGraphqlYoga({ development: getConfig().nodeEnv !== "production" }));

function wantsGraphiql(req: Request): boolean {
  return req.method === "GET" && (req.headers.get("accept") ?? "").includes("text/html") && !new URL(req.url).searchParams.has("query");
}

/**
 * Yoga refuses some requests with an empty body (a POST in a content type it does not read: 415):
 * they get the error model's JSON like every other refusal, their status kept.
 */
function withErrorBody(response: Response): Response {
  if (response.status < 400 || (response.headers.get("content-type") ?? "").includes("json")) return response;
  const code = response.status === 405 ? ErrorCode.METHOD_NOT_ALLOWED : response.status === 413 ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.VALIDATION_FAILED;
  const message = response.status === 415 ? "Send the operation as JSON (Content-Type: application/json)." : "The request is not a GraphQL operation this endpoint reads.";
  const headers = new Headers(response.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.delete("content-length");
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status: response.status, headers });
}

function jsonParameter(name: string, value: string): void {
  let parsed: unknown;
  try {
    parsed = parseJsonText(value);
  } catch {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `The ${name} parameter is not a JSON object.`);
  }
  if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) throw new AppError(ErrorCode.VALIDATION_FAILED, `The ${name} parameter is not a JSON object.`);
}

/**
 * /api/graphql: authenticated, rate limited and CSRF-checked exactly as REST (authenticateCaller),
 * the body held to REST's limits (size, JSON depth, storable strings), then Yoga runs the
 * operation with the caller in its context. A refusal before the operation runs answers REST's
 * status with a GraphQL body whose `extensions.code` is the error model's.
 */
export async function handleGraphqlRequest(req: Request, server: GraphqlYoga = defaultYoga()): Promise<Response> {
  let rate: RateState | undefined;
  try {
    // GraphiQL's page itself (development only) runs nothing; its requests authenticate as any other.
    if (wantsGraphiql(req) && getConfig().nodeEnv !== "production") {
      return await server.handleRequest(req, {} as never);
    }
    const caller = await authenticateCaller(req);
    rate = caller.rate;
    let body: string | undefined;
    if (req.method === "POST") {
      body = await readBodyText(req);
      if ((req.headers.get("content-type") ?? "").toLowerCase().includes("json")) parseJsonText(body);
      else assertStorableStrings(body);
    } else {
      const params = new URL(req.url).searchParams;
      assertStorableStrings(Object.fromEntries(params), "query");
      // Yoga parses these itself and would take a malformed one for a fault of ours.
      for (const name of ["variables", "extensions"]) {
        const value = params.get(name);
        if (value !== null && value !== "") jsonParameter(name, value);
      }
    }
    const forwarded = new Request(req.url, { method: req.method, headers: req.headers, body });
    const response = withErrorBody(await server.handleRequest(forwarded, { db: getDb(), actor: caller.actor }));
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(rateLimitHeaders(rate))) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
  } catch (error) {
    const { status, body } = toHttpError(error);
    const extensions = body.error.details === undefined ? { code: body.error.code } : { code: body.error.code, details: body.error.details };
    return Response.json({ errors: [{ message: body.error.message, extensions }] }, { status, headers: refusalHeaders(status, body.error.details, rate) });
  }
}
