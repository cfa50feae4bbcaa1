/**
 * Difference between two graph versions: nodes and edges added, removed and changed. Nodes are
 * matched by id, edges by `edgeKey` (from, to, kind, pointer, producer key); "changed" means the
 * same identity with different attributes (versions, evidence).
 */
import { compareEdges, edgeKey, type Graph, type GraphEdge, type GraphNode } from "./model.js";

export interface Changed<T> {
  before: T;
  after: T;
  /** Names of the attributes that differ, sorted. */
  fields: string[];
}

export interface GraphDiff {
  nodes: { added: GraphNode[]; removed: GraphNode[]; changed: Changed<GraphNode>[] };
  edges: { added: GraphEdge[]; removed: GraphEdge[]; changed: Changed<GraphEdge>[] };
}

function differingFields(a: object, b: object): string[] {
  const record = (o: object) => o as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(record(a)[k]) !== JSON.stringify(record(b)[k])).sort();
}

function diffBy<T extends object>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
): { added: T[]; removed: T[]; changed: Changed<T>[] } {
  const old = new Map(before.map((item) => [key(item), item]));
  const now = new Map(after.map((item) => [key(item), item]));
  const added = after.filter((item) => !old.has(key(item)));
  const removed = before.filter((item) => !now.has(key(item)));
  const changed: Changed<T>[] = [];
  for (const item of after) {
    const previous = old.get(key(item));
    if (previous === undefined) continue;
    const fields = differingFields(previous, item);
    if (fields.length > 0) changed.push({ before: previous, after: item, fields });
  }
  return { added, removed, changed };
}

/** O((V + E) log) — inputs are sorted graphs, outputs keep their order. */
export function diffGraphs(
  before: Pick<Graph, "nodes" | "edges">,
  after: Pick<Graph, "nodes" | "edges">,
): GraphDiff {
  const edges = diffBy(before.edges, after.edges, edgeKey);
  edges.added.sort(compareEdges);
  edges.removed.sort(compareEdges);
  return { nodes: diffBy(before.nodes, after.nodes, (n) => n.id), edges };
}

export function isEmptyDiff(diff: GraphDiff): boolean {
  return [diff.nodes, diff.edges].every((d) => d.added.length + d.removed.length + d.changed.length === 0);
}
