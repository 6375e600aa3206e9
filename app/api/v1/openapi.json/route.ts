import { buildOpenApiDocument } from "@/server/rest/openapi/document";

// SPEC §7: this API as OpenAPI 3.1, public like any published contract (it holds no data).
let document: string | undefined;

export function GET() {
  document ??= JSON.stringify(buildOpenApiDocument());
  return new Response(document, { headers: { "content-type": "application/json", "cache-control": "public, max-age=300" } });
}
