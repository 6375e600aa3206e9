import { docsBundle } from "@/server/rest/api-docs";

/** Scalar's browser bundle for /api/docs, from node_modules. */
export async function GET() {
  return new Response(new Uint8Array(await docsBundle()), {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600", "x-content-type-options": "nosniff" },
  });
}
