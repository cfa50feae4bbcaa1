/** Shared, format-neutral labelling for exports: what a node and an edge are called on a drawing. */
import type { GraphEdge, GraphNode } from "../model.js";

/** `type/nickname`, `/external/type/nickname`, or `type/nickname (runtime only)`. */
export function nodeLabel(node: GraphNode): string {
  switch (node.kind) {
    case "external":
      return `/external/${node.type}/${node.nickname}`;
    case "runtime-only":
      return `${node.type}/${node.nickname} (runtime only)`;
    default:
      return `${node.type}/${node.nickname}`;
  }
}

/** `depends_on`, `inferred /key`, or `consumes /consumer_key ← /producer_key`. */
export function edgeLabel(edge: GraphEdge): string {
  if (edge.kind === "consumes")
    return `${edge.evidence.pointer} ← ${edge.evidence.producerKey || "(runtime)"}`;
  if (edge.kind === "inferred") return `inferred ${edge.evidence.pointer}`;
  return "depends_on";
}

/**
 * The edges worth drawing: every `consumes` and `inferred` edge, and one `depends_on` per
 * (from, to) pair however many declarations there are.
 */
export function drawableEdges(edges: readonly GraphEdge[]): GraphEdge[] {
  const seen = new Set<string>();
  return edges.filter((edge) => {
    if (edge.kind !== "depends_on") return true;
    const key = `${edge.from}\u0000${edge.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function groupByEnv(nodes: readonly GraphNode[]): Map<string, GraphNode[]> {
  const groups = new Map<string, GraphNode[]>();
  for (const node of nodes) {
    const list = groups.get(node.env);
    if (list) list.push(node);
    else groups.set(node.env, [node]);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
