import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

it("npm test without Prometheus (and no way to install it) stops at once with one line that says how", () => {
  const result = spawnSync("npx", ["tsx", "scripts/test.ts", "unit"], { env: { ...process.env, PROMETHEUS_DIR: "/nonexistent" }, encoding: "utf8" });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^npm test needs Prometheus and promtool at \/nonexistent\/prometheus .*apt-get install -y prometheus.*PROMETHEUS_DIR/)]);
});
