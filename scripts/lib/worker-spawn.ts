import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";

/**
 * A TypeScript script of ours as a child process: the project's Node (node_modules/.bin/node) with
 * tsx's loader, not tsx's wrapper binary. The wrapper runs the script as its own child (one more
 * Node to start) and relays signals, SIGKILLing a child that does not answer within 30 ms, so a
 * SIGTERM could end the script before its shutdown handler ran.
 */
export function spawnScript(script: string, env: NodeJS.ProcessEnv, stdio: StdioOptions): ChildProcess {
  return spawn("node_modules/.bin/node", ["--import", "tsx", script], { env, stdio });
}

/**
 * The saga worker (scripts/worker.ts), which SIGTERM stops through its shutdown (jobs released,
 * spans flushed). The one spawn of the worker for `npm run dev`, `npm start`, `npm test` and the
 * tests that start workers.
 */
export function spawnWorkerProcess(env: NodeJS.ProcessEnv, stdio: StdioOptions): ChildProcess {
  return spawnScript("scripts/worker.ts", env, stdio);
}
