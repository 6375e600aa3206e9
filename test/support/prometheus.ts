import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@/scripts/lib/database";
import { prometheusPaths } from "@/scripts/lib/prometheus";

export interface RunningPrometheus {
  url: string;
  /** Waits until `query` has at least one sample; returns them. */
  until(query: string, timeoutMs?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus (Debian's binary) on a free loopback port with its own data folder, scraping
 * `targets` (job name → host:port and path) every second and loading `ruleFiles`.
 */
export async function startPrometheus(opts: { targets: { job: string; address: string; metricsPath: string; token?: string }[]; ruleFiles?: string[] }): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), "pc-prometheus-"));
  const config = [
    "global: { scrape_interval: 1s, evaluation_interval: 1s }",
    `rule_files: [${(opts.ruleFiles ?? []).map((f) => JSON.stringify(path.resolve(f))).join(", ")}]`,
    "scrape_configs:",
    ...opts.targets.flatMap((t) => [
      `  - job_name: ${JSON.stringify(t.job)}`,
      `    metrics_path: ${JSON.stringify(t.metricsPath)}`,
      ...(t.token ? [`    authorization: { credentials: ${JSON.stringify(t.token)} }`] : []),
      `    static_configs: [{ targets: [${JSON.stringify(t.address)}] }]`,
    ]),
  ].join("\n");
  writeFileSync(path.join(dir, "prometheus.yml"), config);
  const port = await freePort(19_190);
  const url = `http://127.0.0.1:${port}`;
  let log = "";
  const child: ChildProcess = spawn(
    prometheusPaths().prometheus,
    [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = (ms: number) => Date.now() + ms;
  const ready = deadline(30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${log}`);
    const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > ready) throw new Error(`prometheus not ready after 30 s: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    async until(query, timeoutMs = 30_000) {
      const end = deadline(timeoutMs);
      for (;;) {
        const res = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
        if (res.status === "success" && res.data.result.length > 0) return res.data.result;
        if (Date.now() > end) throw new Error(`no sample for ${query} after ${timeoutMs} ms; prometheus log: ${log}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
