import { readFile } from "node:fs/promises";
import path from "node:path";

/*
 * /api/docs: the OpenAPI document read by Scalar's API reference, its browser bundle served from
 * node_modules by /api/docs/scalar.js (no CDN). Every other /api route answers with a deny-all CSP
 * (next.config.js); this page gets its own: the bundle runs by this response's nonce, it reads the
 * document and sends "try it" requests to this origin only, and loads nothing from anywhere else.
 */
export const DOCS_BUNDLE_PATH = "/api/docs/scalar.js";
const DOCUMENT_URL = "/api/v1/openapi.json";

export function docsContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // The viewer writes its styles into <style> elements at run time; styles cannot run code.
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

// Scalar's configuration: nothing that would call Scalar's services (fonts, telemetry, its agent
// and MCP helpers, its request proxy); the document from our own URL.
const CONFIGURATION = {
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
  hideClientButton: true,
  documentDownloadType: "json",
};

const attribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The page; the bundle mounts the reference before the #api-reference element. */
export function docsPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partial quantity cancellation — REST API</title>
</head>
<body>
<noscript>The API reference needs JavaScript; the document itself is at <a href="${DOCUMENT_URL}">${DOCUMENT_URL}</a>.</noscript>
<div id="api-reference" data-url="${DOCUMENT_URL}" data-configuration="${attribute(JSON.stringify(CONFIGURATION))}"></div>
<script nonce="${nonce}" src="${DOCS_BUNDLE_PATH}"></script>
</body>
</html>
`;
}

let bundle: Promise<Buffer> | undefined;

/** Scalar's standalone browser build, as installed (the package exports no path to it). */
export function docsBundle(): Promise<Buffer> {
  bundle ??= readFile(path.join(process.cwd(), "node_modules", "@scalar", "api-reference", "dist", "browser", "standalone.js"));
  return bundle;
}
