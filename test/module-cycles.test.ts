import { describe, expect, it } from "vitest";
import { cycles, edgesWithin, fileEdges, moduleEdges, moduleOf } from "@/scripts/lib/module-graph";

// Modules depend one way (shared/STYLE.md): the import graph of server/'s production files has no
// cycle, neither between files (what `madge --circular` reports) nor between modules (a folder
// under server/, or a file there such as config.ts). A failure names the imports that close it.
const files = fileEdges(process.cwd());
const modules = moduleEdges(files);
const describeCycles = (found: string[][], edges: typeof files) => found.map((c) => `${c.join(" ↔ ")}: ${edgesWithin(edges, c).map((e) => e.via).join("; ")}`);

describe("the import graph of server/", () => {
  it("is read: it sees the imports it must see", () => {
    expect(files.length).toBeGreaterThan(500);
    const has = (from: string, to: string) => modules.some((e) => e.from === from && e.to === to);
    expect(has("saga", "cancellations")).toBe(true);
    expect(has("notifications", "jobs")).toBe(true);
    expect(has("config", "payments")).toBe(false);
    expect(moduleOf("server/config.ts")).toBe("config");
    expect(moduleOf("server/saga/steps/adjust-order.ts")).toBe("saga");
  });

  it("has no cycle between files", () => {
    expect(describeCycles(cycles(files), files)).toEqual([]);
  });

  it("has no cycle between modules", () => {
    const edges = modules.map((e) => ({ ...e, via: e.via }));
    expect(describeCycles(cycles(edges), edges)).toEqual([]);
  });

  it("finds a cycle where there is one (so the two tests above can fail)", () => {
    const edge = (from: string, to: string) => ({ from, to, via: `${from} → ${to}` });
    expect(cycles([edge("a", "b"), edge("b", "c"), edge("c", "a"), edge("c", "d")])).toEqual([["a", "b", "c"]]);
    expect(cycles([edge("a", "b"), edge("b", "c")])).toEqual([]);
    expect(cycles(moduleEdges([edge("server/saga/a.ts", "server/rest/b.ts"), edge("server/rest/b.ts", "server/saga/c.ts")]))).toEqual([["rest", "saga"]]);
  });
});
