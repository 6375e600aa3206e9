import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/*
 * The import graph of server/ (production files only: tests and test support are left out), by
 * file and by module (a folder directly under server/, or a file there such as config.ts), and the
 * cycles in each: modules depend one way (shared/STYLE.md), so both lists must stay empty.
 * Type-only imports count too: a cycle of types is still two modules that each need the other.
 */

export interface Edge {
  from: string;
  to: string;
  /** The file that imports, and what it imports, e.g. "server/saga/worker.ts → server/rest/rate-limit.ts". */
  via: string;
}

const TEST_FILE = /(\.test\.tsx?|test-support\.ts|\.test-support\.ts)$/;
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "generated" ? [] : filesUnder(full);
    return /\.tsx?$/.test(name) && !TEST_FILE.test(name) ? [full] : [];
  });
}

function resolve(root: string, fromFile: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith(".")) base = path.join(path.dirname(fromFile), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** "server/saga/worker.ts" → "saga"; "server/config.ts" → "config". */
export function moduleOf(relativeFile: string): string {
  const parts = relativeFile.split("/");
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.tsx?$/, "");
}

export function fileEdges(root: string): Edge[] {
  const serverDir = path.join(root, "server");
  const edges: Edge[] = [];
  for (const file of filesUnder(serverDir)) {
    const from = path.relative(root, file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = resolve(root, file, (m[1] ?? m[2])!);
      if (!target) continue;
      const to = path.relative(root, target);
      if (!to.startsWith("server/") || to.startsWith("server/generated/") || TEST_FILE.test(to)) continue;
      edges.push({ from, to, via: `${from} → ${to}` });
    }
  }
  return edges;
}

export function moduleEdges(edges: Edge[]): Edge[] {
  const seen = new Map<string, Edge>();
  for (const e of edges) {
    const from = moduleOf(e.from);
    const to = moduleOf(e.to);
    if (from !== to && !seen.has(`${from}>${to}`)) seen.set(`${from}>${to}`, { from, to, via: e.via });
  }
  return [...seen.values()];
}

/** The strongly connected components with more than one node (Tarjan), each sorted. */
export function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of next.keys()) if (!indexOf.has(v)) visit(v);
  return found;
}

/** The edges inside a cycle, to say which imports make it. */
export function edgesWithin(edges: Edge[], cycle: string[]): Edge[] {
  const members = new Set(cycle);
  return edges.filter((e) => members.has(e.from) && members.has(e.to));
}
