import { docsContentSecurityPolicy, docsPage } from "@/server/rest/api-docs";

export const dynamic = "force-dynamic";

/** The REST API's reference (Scalar over /api/v1/openapi.json), public like the document. */
export function GET() {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  return new Response(docsPage(nonce), {
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": docsContentSecurityPolicy(nonce), "cache-control": "no-store" },
  });
}
