import type { TestServer } from "./support/http-server";

export interface GraphqlAnswer<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; details?: unknown } }[];
  headers: Headers;
}

/** POSTs an operation to the test server's /api/graphql with an API key, as an integrator would. */
export async function gql<T = Record<string, unknown>>(server: TestServer, key: string | undefined, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphqlAnswer<T>> {
  const response = await fetch(`${server.url}/api/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GraphqlAnswer["errors"] };
  return { status: response.status, data: body.data ?? null, errors: body.errors, headers: response.headers };
}
