import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      { find: "@", replacement: fileURLToPath(new URL(".", import.meta.url)) },
      // One graphql: Node loads it as CommonJS for Pothos and Yoga, so the tests' imports must too.
      { find: /^graphql$/, replacement: "graphql/index.js" },
    ],
  },
  test: {
    include: ["server/**/*.test.ts", "fakes/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-env.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
