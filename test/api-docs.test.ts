import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/http-server";

/*
 * Issue 19 point 3: /api/docs renders the OpenAPI document with Scalar's bundle from node_modules,
 * under a CSP of its own: scripts only by this response's nonce, requests to this origin only.
 * (e2e/api-docs.spec.ts opens it in Chromium.)
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const directives = (csp: string) => Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("/api/docs", () => {
  it("is an HTML page whose only script is the local bundle, by this response's nonce", async () => {
    const [first, second] = await Promise.all([fetch(`${server.url}/api/docs`), fetch(`${server.url}/api/docs`)]);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(first.headers.get("cache-control")).toBe("no-store");
    const csp = directives(first.headers.get("content-security-policy")!);
    const nonce = /^'nonce-([A-Za-z0-9+/=]{20,})'$/.exec(csp["script-src"]!.join(" "))?.[1];
    expect(nonce, "script-src is this response's nonce and nothing else").toBeDefined();
    expect(csp).toMatchObject({ "default-src": ["'none'"], "connect-src": ["'self'"], "base-uri": ["'none'"], "form-action": ["'none'"], "frame-ancestors": ["'none'"] });
    expect(Object.values(csp).flat().filter((source) => /^(https?:|\*|'unsafe-eval'|'strict-dynamic')/.test(source))).toEqual([]);
    expect(directives(second.headers.get("content-security-policy")!)["script-src"]).not.toEqual(csp["script-src"]);

    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attrs, body]) => [attrs!.trim(), body])).toEqual([[`nonce="${nonce}" src="/api/docs/scalar.js"`, ""]]);
    expect(html).toContain('data-url="/api/v1/openapi.json"');
    expect(html).not.toMatch(/https?:\/\//);
    const configuration = JSON.parse(/data-configuration="([^"]*)"/.exec(html)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as Record<string, unknown>;
    expect(configuration).toMatchObject({ withDefaultFonts: false, telemetry: false, agent: { disabled: true }, mcp: { disabled: true } });
  });

  it("serves Scalar's standalone bundle as installed, and the document it reads", async () => {
    const bundle = await fetch(`${server.url}/api/docs/scalar.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const installed = readFileSync(path.resolve(import.meta.dirname, "../node_modules/@scalar/api-reference/dist/browser/standalone.js"));
    expect(Buffer.from(await bundle.arrayBuffer()).equals(installed)).toBe(true);
    expect(installed.toString("utf8")).toContain("createApiReference");
    const document = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(((await document.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});
