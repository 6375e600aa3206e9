import type { ChildProcess } from "node:child_process";
import { spawnWorkerProcess } from "@/scripts/lib/worker-spawn";

/*
 * The worker (scripts/worker.ts) as its own process, for the tests that kill it (SIGKILL), run
 * several at once, or let one open a breaker that another process sees. Spawned as `npm run dev` and
 * `npm test` spawn it (scripts/lib/worker-spawn.ts), so a signal sent to the child reaches the worker itself.
 */

export interface WorkerProcess {
  child: ChildProcess;
  /** Its stdout and stderr lines, a pino JSON line as its message. */
  output: string[];
  /** The pid the worker reports in its "Worker <pid> running" line, once it runs. */
  pid: Promise<number>;
  /** The signal that ended it, or its exit code. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** SIGTERM (a clean stop) unless it has ended already. */
  stop(): Promise<void>;
}

const spawned = new Set<WorkerProcess>();

/** A structured log line's message (pino JSON); any other line as it is. */
function messageOf(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === "string" ? parsed.msg : line;
  } catch {
    return line;
  }
}

export function spawnWorker(env: Record<string, string | undefined>): WorkerProcess {
  const child = spawnWorkerProcess({ ...process.env, DATABASE_URL: process.env.DATABASE_URL!, ...env }, ["ignore", "pipe", "pipe"]);
  const output: string[] = [];
  const ended = child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => (ended ? resolve(child.signalCode ?? child.exitCode) : child.on("exit", (code, signal) => resolve(signal ?? code))));
  const pid = new Promise<number>((resolve) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output.push(...chunk.toString().split("\n").filter(Boolean).map(messageOf));
      const started = output.map((l) => /^Worker (\d+) running/.exec(l)).find(Boolean);
      if (started) resolve(Number(started[1]));
    });
  });
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const worker: WorkerProcess = {
    child,
    output,
    pid,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      spawned.delete(worker);
    },
  };
  spawned.add(worker);
  return worker;
}

/** For afterAll/afterEach: every worker still running is killed (SIGKILL) and waited for. */
export async function killWorkers(): Promise<void> {
  const running = [...spawned];
  spawned.clear();
  for (const w of running) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await Promise.all(running.map((w) => w.exited));
}
