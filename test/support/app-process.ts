import type { ChildProcess } from "node:child_process";
import { spawnScript } from "@/scripts/lib/worker-spawn";

/*
 * test/support/app-instance.cts as a process of its own: the REST routes' real handlers over HTTP
 * with the app's start-up (instrumentation.ts). node with tsx's loader and no wrapper, so that
 * SIGTERM reaches the app itself (which then flushes its spans).
 */

export interface AppProcess {
  child: ChildProcess;
  output: string[];
  /** http://127.0.0.1:<port>, once it listens. */
  url: Promise<string>;
  exited: Promise<NodeJS.Signals | number | null>;
  /** SIGTERM unless it has ended, and its end. */
  stop(): Promise<NodeJS.Signals | number | null>;
}

export function spawnAppInstance(env: Record<string, string | undefined>): AppProcess {
  const child = spawnScript("test/support/app-instance.cts", { ...process.env, DATABASE_URL: process.env.DATABASE_URL!, ...env }, ["ignore", "pipe", "pipe"]);
  const output: string[] = [];
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output.push(...chunk.toString().split("\n").filter(Boolean));
      const port = output.map((l) => /^listening (\d+)/.exec(l)?.[1]).find(Boolean);
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    void exited.then((end) => reject(new Error(`app instance ended (${end}) before listening: ${output.join("\n").slice(-2000)}`)));
  });
  url.catch(() => {});
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  return {
    child,
    output,
    url,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
