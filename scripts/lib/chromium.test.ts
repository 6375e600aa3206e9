import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

it("npm test without Chromium stops at once with one line that says how", () => {
  const started = Date.now();
  const result = spawnSync("npx", ["tsx", "scripts/test.ts", "e2e"], { env: { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium" }, encoding: "utf8" });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^npm test needs Chromium at \/nonexistent\/chromium .*apt-get install -y chromium.*CHROMIUM_PATH/)]);
  // Nothing else ran: no database, no build.
  expect(Date.now() - started).toBeLessThan(20_000);
});
