import { readdirSync, readFileSync } from "node:fs";

export interface ProcessMemory {
  app: { pids: number[]; rssMb: number; cpuMs: number };
  worker: { pids: number[]; rssMb: number; cpuMs: number };
}

// Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every common architecture.
const TICK_MS = 10;

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * The RSS and CPU time so far of the app's and the worker's processes (Linux /proc): the processes whose
 * environment carries this DATABASE_URL, the worker being the ones running scripts/worker.ts.
 * The supervisor (scripts/dev.ts) and benchmark processes are left out. Null without /proc.
 */
export function processMemory(databaseUrl: string): ProcessMemory | null {
  let pids: number[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return null;
  }
  const result: ProcessMemory = { app: { pids: [], rssMb: 0, cpuMs: 0 }, worker: { pids: [], rssMb: 0, cpuMs: 0 } };
  const needle = `DATABASE_URL=${databaseUrl}`;
  for (const pid of pids) {
    if (pid === process.pid || pid === process.ppid) continue;
    const environ = read(`/proc/${pid}/environ`);
    if (!environ?.split("\0").includes(needle)) continue;
    const cmdline = (read(`/proc/${pid}/cmdline`) ?? "").split("\0").join(" ");
    if (/scripts\/(dev|bench[^ ]*|test)\.ts|vitest|npm (run|start)/.test(cmdline)) continue;
    const rssKb = Number(read(`/proc/${pid}/status`)?.match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0);
    const slot = /scripts\/worker\.ts/.test(cmdline) ? result.worker : result.app;
    slot.pids.push(pid);
    slot.rssMb += rssKb / 1024;
    // utime and stime, fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name).
    const stat = (read(`/proc/${pid}/stat`) ?? "").split(") ")[1]?.split(" ") ?? [];
    slot.cpuMs += (Number(stat[11] ?? 0) + Number(stat[12] ?? 0)) * TICK_MS;
  }
  return result;
}
