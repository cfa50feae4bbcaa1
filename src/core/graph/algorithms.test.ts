import { describe, expect, it } from "vitest";
import { buildAdjacency } from "./adjacency.js";
import { cyclicComponents, findCycles, isAcyclic } from "./cycles.js";
import { diffGraphs, isEmptyDiff } from "./diff.js";
import type { GraphEdge, GraphNode } from "./model.js";
import { shortestPath } from "./shortest-path.js";
import { pathTo, walk } from "./walk.js";
import { deployWaves } from "./waves.js";

/** "a>b" means a depends on b. */
function graph(...pairs: string[]) {
  const edges = pairs.map((p) => {
    const [from, to] = p.split(">") as [string, string];
    return { from, to };
  });
  const nodes = edges.flatMap((e) => [e.from, e.to]);
  return buildAdjacency(nodes, edges);
}

describe("deployWaves", () => {
  it("layers dependencies first, each wave sorted", () => {
    const g = graph("site>svc", "svc>db", "svc>eks", "db>vpc", "eks>vpc", "dns>dns");
    expect(deployWaves(g, ["site", "svc", "db", "eks", "vpc"])).toEqual({
      waves: [["vpc"], ["db", "eks"], ["svc"], ["site"]],
      blocked: [],
    });
  });

  it("orders a subset by its transitive dependencies through nodes outside it", () => {
    const g = graph("site>svc", "svc>db", "db>vpc", "other>vpc");
    expect(deployWaves(g, ["site", "db", "other"]).waves).toEqual([["db", "other"], ["site"]]);
  });

  it("reports nodes on or behind a cycle as blocked", () => {
    const g = graph("a>b", "b>a", "c>a", "d>e");
    expect(deployWaves(g)).toEqual({ waves: [["e"], ["d"]], blocked: ["a", "b", "c"] });
  });

  it("handles a long chain without recursion", () => {
    const pairs = Array.from(
      { length: 20_000 },
      (_, i) => `n${String(i + 1).padStart(5, "0")}>n${String(i).padStart(5, "0")}`,
    );
    const result = deployWaves(graph(...pairs));
    expect(result.waves).toHaveLength(20_001);
    expect(findCycles(graph(...pairs))).toEqual([]);
  });
});

describe("cycles", () => {
  it("finds every strongly connected component, with self-loops", () => {
    const g = graph("a>b", "b>c", "c>a", "c>d", "x>x", "y>z");
    expect(cyclicComponents(g)).toEqual([["a", "b", "c"], ["x"]]);
  });

  it("rotates each cycle path to its smallest member and picks the shortest cycle", () => {
    const g = graph("m>k", "k>z", "z>m", "z>k");
    // shortest cycle through the smallest member "k": k → z → k
    expect(findCycles(g)).toEqual([{ path: ["k", "z", "k"], members: ["k", "m", "z"] }]);
  });
});

describe("walk", () => {
  const g = graph("site>svc", "svc>db", "svc>eks", "db>vpc", "eks>vpc", "other>vpc");

  it("finds dependents at their shortest depth with the node they came through", () => {
    const reached = walk(g, ["vpc"], "dependents");
    expect(reached).toEqual([
      { id: "db", depth: 1, via: "vpc" },
      { id: "eks", depth: 1, via: "vpc" },
      { id: "other", depth: 1, via: "vpc" },
      { id: "svc", depth: 2, via: "db" },
      { id: "site", depth: 3, via: "svc" },
    ]);
    expect(pathTo(reached, "site")).toEqual(["vpc", "db", "svc", "site"]);
  });

  it("honours the depth bound", () => {
    expect(walk(g, ["site"], "dependencies", 2).map((r) => r.id)).toEqual(["svc", "db", "eks"]);
  });

  it("terminates on cycles", () => {
    expect(walk(graph("a>b", "b>a"), ["a"], "dependencies").map((r) => r.id)).toEqual(["b"]);
  });
});

describe("shortestPath", () => {
  it("follows dependencies and is deterministic on ties", () => {
    const g = graph("site>svc", "svc>db", "svc>eks", "db>vpc", "eks>vpc");
    expect(shortestPath(g, "site", "vpc")).toEqual(["site", "svc", "db", "vpc"]);
    expect(shortestPath(g, "vpc", "site")).toBeUndefined();
    expect(shortestPath(g, "vpc", "site", "dependents")).toEqual(["vpc", "db", "svc", "site"]);
    expect(shortestPath(g, "db", "db")).toEqual(["db"]);
  });
});

describe("diffGraphs", () => {
  const node = (id: string, extra: Partial<GraphNode> = {}): GraphNode => ({
    id,
    kind: "component",
    env: "dev",
    type: "t",
    nickname: id,
    ...extra,
  });
  const edge = (from: string, to: string, extra: Partial<GraphEdge> = {}): GraphEdge => ({
    from,
    to,
    kind: "depends_on",
    evidence: { form: "depends-on", pointer: "/depends_on/0" },
    ...extra,
  });

  it("reports nodes and edges added, removed and changed", () => {
    const before = {
      nodes: [node("a", { configVersion: 1 }), node("b"), node("c")],
      edges: [edge("a", "b"), edge("a", "c")],
    };
    const after = {
      nodes: [node("a", { configVersion: 2 }), node("b"), node("d")],
      edges: [edge("a", "b", { configVersion: 2 }), edge("a", "d")],
    };
    const diff = diffGraphs(before, after);
    expect(diff.nodes.added.map((n) => n.id)).toEqual(["d"]);
    expect(diff.nodes.removed.map((n) => n.id)).toEqual(["c"]);
    expect(diff.nodes.changed).toEqual([
      {
        before: node("a", { configVersion: 1 }),
        after: node("a", { configVersion: 2 }),
        fields: ["configVersion"],
      },
    ]);
    expect(diff.edges.added.map((e) => e.to)).toEqual(["d"]);
    expect(diff.edges.removed.map((e) => e.to)).toEqual(["c"]);
    expect(diff.edges.changed.map((c) => c.fields)).toEqual([["configVersion"]]);
    expect(isEmptyDiff(diffGraphs(after, after))).toBe(true);
  });
});

describe("isAcyclic", () => {
  it("tells a DAG from a graph with a cycle or a self-loop", () => {
    // 0 → 1 → 2, 0 → 2, 3 alone
    expect(isAcyclic(4, [0, 1, 0], [1, 2, 2])).toBe(true);
    expect(isAcyclic(0, [], [])).toBe(true);
    // duplicate edges are no cycle
    expect(isAcyclic(2, [0, 0], [1, 1])).toBe(true);
    expect(isAcyclic(4, [0, 1, 2], [1, 2, 1])).toBe(false);
    expect(isAcyclic(3, [0, 2], [1, 2])).toBe(false);
  });

  it("agrees with the cycle search on random graphs", () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const count = 1 + next(8);
      const from: number[] = [];
      const to: number[] = [];
      for (let e = next(10); e > 0; e--) {
        from.push(next(count));
        to.push(next(count));
      }
      const ids = Array.from({ length: count }, (_, i) => `n${i}`);
      const dependencies = new Map<string, string[]>();
      from.forEach((f, i) => {
        dependencies.set(ids[f]!, [...(dependencies.get(ids[f]!) ?? []), ids[to[i]!]!]);
      });
      expect(isAcyclic(count, from, to)).toBe(cyclicComponents({ nodes: ids, dependencies }).length === 0);
    }
  });
});
