import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The unit tests check ops/prometheus/ with Debian's promtool and scrape a test server with a real
 * Prometheus. Like Chromium (chromium.ts), a missing package is installed when `npm test` can (root
 * with apt-get, as on CI), or the run stops at once with one line that says how.
 */
export function prometheusPaths() {
  const dir = process.env.PROMETHEUS_DIR ?? "/usr/bin";
  return { prometheus: `${dir}/prometheus`, promtool: `${dir}/promtool` };
}

export function ensurePrometheus(log: (line: string) => void = console.log): void {
  const paths = prometheusPaths();
  if (existsSync(paths.prometheus) && existsSync(paths.promtool)) return;
  const how = `npm test needs Prometheus and promtool at ${paths.prometheus} and ${paths.promtool} for the monitoring tests: run \`sudo apt-get install -y prometheus\` (or set PROMETHEUS_DIR to the folder holding both).`;
  const hasAptGet = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (process.env.PROMETHEUS_DIR || process.getuid?.() !== 0 || !hasAptGet) {
    console.error(how);
    process.exit(1);
  }
  log(`Prometheus is missing at ${paths.prometheus}: installing Debian's prometheus with apt-get (running as root) …`);
  // The package's service is not wanted: policy-rc.d refuses to start it (the tests start their own).
  const install = spawnSync(
    "sh",
    ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends prometheus"],
    { stdio: "inherit" },
  );
  if (install.status !== 0 || !existsSync(paths.prometheus) || !existsSync(paths.promtool)) {
    console.error(`Installing prometheus with apt-get failed (exit ${install.status}). ${how}`);
    process.exit(1);
  }
}
