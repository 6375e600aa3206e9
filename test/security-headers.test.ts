import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import type { NextConfig } from "next";
// @ts-expect-error next.config.js is plain JavaScript (Next loads it as is)
import config from "@/next.config.js";
import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import { proxy } from "@/proxy";

const nextConfig = config as NextConfig;

const csp = (response: Response) => response.headers.get("content-security-policy") ?? "";
const scriptSrc = (policy: string) => policy.split("; ").find((d) => d.startsWith("script-src ")) ?? "";

describe("page headers (proxy.ts)", () => {
  it("a CSP whose scripts need this response's nonce: no 'unsafe-inline' scripts, never framed", async () => {
    const first = await proxy(new NextRequest("http://localhost/orders"));
    const second = await proxy(new NextRequest("http://localhost/orders"));
    const script = scriptSrc(csp(first));
    expect(script).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'$/);
    expect(script).not.toContain("unsafe-inline");
    expect(script).not.toContain("unsafe-eval");
    expect(csp(first)).toContain("frame-ancestors 'none'");
    expect(csp(first)).toContain("object-src 'none'");
    expect(csp(first)).toContain("base-uri 'self'");
    expect(scriptSrc(csp(second))).not.toBe(script);
    // Next reads the nonce from the request's CSP and puts it on its scripts.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp(first));
    expect(first.headers.get("permissions-policy")).toContain("camera=()");
  });

  it("HSTS only over https (directly or as the proxy in front says)", async () => {
    expect((await proxy(new NextRequest("http://localhost/orders"))).headers.get("strict-transport-security")).toBeNull();
    expect((await proxy(new NextRequest("https://app.example/orders"))).headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
    const forwarded = await proxy(new NextRequest("http://localhost/orders", { headers: { "x-forwarded-proto": "https" } }));
    expect(forwarded.headers.get("strict-transport-security")).toMatch(/^max-age=/);
    expect(csp(forwarded)).toContain("upgrade-insecure-requests");
  });

  it("an embed page without a session is not framed either", async () => {
    expect(csp(await proxy(new NextRequest("http://localhost/embed/orders/x")))).toContain("frame-ancestors 'none'");
  });
});

describe("next.config.js", () => {
  it("sends no X-Powered-By, and API routes a deny-all CSP", async () => {
    expect(nextConfig.poweredByHeader).toBe(false);
    const rules = await nextConfig.headers!();
    const denyAll = rules.filter((r) => r.headers.some((h) => h.key === "Content-Security-Policy" && h.value === "default-src 'none'; frame-ancestors 'none'"));
    expect(denyAll.map((r) => r.source)).toEqual(["/api/((?!docs$).*)"]);
    // Matched as Next matches a header rule's source.
    const matches = getPathMatch(denyAll[0]!.source, { removeUnnamedParams: true, strict: true });
    for (const api of ["/api/v1/orders", "/api/v1/openapi.json", "/api/graphql", "/api/trpc/orders.list", "/api/metrics", "/api/docs/scalar.js", "/api/docsx"]) expect(matches(api), api).not.toBe(false);
    // The REST reference page is the one exception: it sends its own nonce CSP (test/api-docs.test.ts).
    expect(matches("/api/docs")).toBe(false);
    expect(rules.filter((r) => r.headers.some((h) => h.key === "Content-Security-Policy")).map((r) => r.source)).toEqual(["/api/((?!docs$).*)"]);
  });
});
