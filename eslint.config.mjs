import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".data/**", "server/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The domain is pure: no I/O, no framework, nothing from the rest of the app.
    files: ["server/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/*", "next", "next/*", "@trpc/*", "@prisma/*", "pg", "node:*"] }],
    },
  },
];

export default config;
