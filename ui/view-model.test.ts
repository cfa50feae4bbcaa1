import { describe, expect, it } from "vitest";
import type { Graph, GraphEdge, GraphNode } from "../src/core/graph/model.js";
import {
  describeEdge,
  drawnGraph,
  groupId,
  groupOfId,
  shownState,
  waveCounts,
  worstState,
} from "./view-model.js";

const node = (env: string, type: string, nickname: string): GraphNode => ({
  id: `${env}:${type}/${nickname}`,
  kind: "component",
  env,
  type,
  nickname,
});

const edge = (
  from: string,
  to: string,
  kind: GraphEdge["kind"] = "depends_on",
  pointer = "/x",
): GraphEdge => ({
  from,
  to,
  kind,
  evidence: { form: "ref", pointer, ...(kind === "consumes" ? { producerKey: "/vpc_id" } : {}) },
});

const graph: Graph = {
  source: { kind: "store" },
  nodes: [
    node("dev", "vpc", "main"),
    node("dev", "service", "a"),
    node("dev", "service", "b"),
    node("prod", "service", "a"),
  ],
  edges: [
    edge("dev:service/a", "dev:vpc/main"),
    edge("dev:service/a", "dev:vpc/main", "consumes", "/vpc_id"),
    edge("dev:service/b", "dev:vpc/main"),
    edge("dev:service/b", "dev:service/a"),
  ],
  findings: [],
};

describe("drawnGraph", () => {
  it("draws every component inside its environment when not aggregated", () => {
    const drawn = drawnGraph(graph, false, new Set());
    expect(drawn.environments).toEqual(["dev", "prod"]);
    expect(drawn.nodes.map((n) => [n.id, n.parent, n.label])).toEqual([
      ["dev:vpc/main", "env:dev", "vpc/main"],
      ["dev:service/a", "env:dev", "service/a"],
      ["dev:service/b", "env:dev", "service/b"],
      ["prod:service/a", "env:prod", "service/a"],
    ]);
    expect(drawn.edges).toHaveLength(4);
  });

  it("aggregates per environment and type, merging edges and counting what they stand for", () => {
    const drawn = drawnGraph(graph, true, new Set());
    expect(drawn.nodes.map((n) => [n.id, n.label, n.count])).toEqual([
      [groupId("dev/vpc"), "vpc (1)", 1],
      [groupId("dev/service"), "service (2)", 2],
      [groupId("prod/service"), "service (1)", 1],
    ]);
    // service/b → service/a falls inside one group and is not drawn; the rest merge by kind
    expect(drawn.edges.map((e) => [e.source, e.target, e.kind, e.count])).toEqual([
      [groupId("dev/service"), groupId("dev/vpc"), "depends_on", 2],
      [groupId("dev/service"), groupId("dev/vpc"), "consumes", 1],
    ]);
  });

  it("expands one group into its components, edges to collapsed groups drawn to the group", () => {
    const drawn = drawnGraph(graph, true, new Set(["dev/service"]));
    expect(drawn.nodes.map((n) => n.id)).toEqual([
      groupId("dev/vpc"),
      "dev:service/a",
      "dev:service/b",
      groupId("prod/service"),
    ]);
    expect(drawn.edges.map((e) => `${e.source}→${e.target}`)).toEqual([
      `dev:service/a→${groupId("dev/vpc")}`,
      `dev:service/a→${groupId("dev/vpc")}`,
      `dev:service/b→${groupId("dev/vpc")}`,
      "dev:service/b→dev:service/a",
    ]);
  });
});

describe("helpers", () => {
  it("names a component's group, describes edges by their evidence, counts waves", () => {
    expect(groupOfId("prod:s3-bucket/assets")).toBe("prod/s3-bucket");
    expect(describeEdge(edge("dev:service/a", "dev:vpc/main", "consumes", "/vpc_id"))).toBe(
      "dev:service/a → dev:vpc/main: consumes via ref /vpc_id ← /vpc_id",
    );
    expect(waveCounts([["a"], ["b", "c"]])).toEqual([
      { wave: 1, count: 1 },
      { wave: 2, count: 2 },
    ]);
  });
});

describe("status colours", () => {
  it("drift shows on components deployed from their latest config; other states show first", () => {
    expect(shownState("in-sync", true)).toBe("drifted");
    expect(shownState("stale", true)).toBe("drifted");
    expect(shownState("unpublished", true)).toBe("unpublished");
    expect(shownState("in-sync", false)).toBe("in-sync");
  });

  it("a group takes its worst member's state", () => {
    expect(worstState(["in-sync", "orphaned", "stale"])).toBe("orphaned");
    expect(worstState(["in-sync", "drifted", undefined, "unpublished"])).toBe("drifted");
    expect(worstState(["in-sync", "in-sync"])).toBe("in-sync");
    expect(worstState([undefined])).toBeUndefined();
  });
});
