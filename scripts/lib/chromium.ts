import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The end-to-end tests drive Debian's Chromium. On a machine without it, `npm test` installs it
 * when it can (root with apt-get, as .ci/run does), or stops before anything else runs with one
 * line that says how, instead of 32 "executable doesn't exist" failures minutes later.
 */
export function ensureChromium(log: (line: string) => void = console.log): void {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(path)) return;
  const how = `npm test needs Chromium at ${path} for the end-to-end tests: run \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary); \`npm run test:unit\` runs the rest without it.`;
  const hasAptGet = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (process.env.CHROMIUM_PATH || process.getuid?.() !== 0 || !hasAptGet) {
    console.error(how);
    process.exit(1);
  }
  log(`Chromium is missing at ${path}: installing Debian's chromium with apt-get (running as root) …`);
  const install = spawnSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"], { stdio: "inherit" });
  if (install.status !== 0 || !existsSync(path)) {
    console.error(`Installing chromium with apt-get failed (exit ${install.status}). ${how}`);
    process.exit(1);
  }
}
