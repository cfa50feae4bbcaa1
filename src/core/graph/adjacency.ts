/**
 * Component-level adjacency: one entry per (consumer, producer) pair whatever the number of edges
 * between them, stored both ways so dependencies and dependents are equally cheap. Neighbour
 * lists are sorted, which makes every algorithm built on top deterministic.
 */
import { DEPENDENCY_EDGE_KINDS, type EdgeKind } from "./model.js";

export interface Adjacency {
  /** Every node id, sorted. */
  readonly nodes: readonly string[];
  /** node → the nodes it depends on (sorted, unique). */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** node → the nodes that depend on it (sorted, unique). */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

export interface AdjacencyEdge {
  from: string;
  to: string;
  kind?: EdgeKind;
}

/**
 * Builds the adjacency of `edges` whose kind is in `kinds` (default: the dependency kinds; edges
 * without a kind always count). Edges naming unknown nodes are ignored. Adding an edge twice is
 * harmless. O(V + E log E).
 */
export function buildAdjacency(
  nodeIds: Iterable<string>,
  edges: Iterable<AdjacencyEdge>,
  kinds: readonly EdgeKind[] = DEPENDENCY_EDGE_KINDS,
): Adjacency {
  const known = new Set(nodeIds);
  const nodes = [...known].sort();
  // plain arrays, deduplicated after sorting: far less allocation than a Set per node
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  const append = (map: Map<string, string[]>, key: string, value: string) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const edge of edges) {
    if (edge.kind !== undefined && !kinds.includes(edge.kind)) continue;
    if (!known.has(edge.from) || !known.has(edge.to)) continue;
    append(forward, edge.from, edge.to);
    append(backward, edge.to, edge.from);
  }
  return { nodes, dependencies: sortUnique(forward), dependents: sortUnique(backward) };
}

/** Sorts and deduplicates every neighbour list in place. O(E log E). */
function sortUnique(map: Map<string, string[]>): Map<string, string[]> {
  for (const list of map.values()) {
    if (list.length < 2) continue;
    list.sort();
    let kept = 1;
    for (let i = 1; i < list.length; i++) if (list[i] !== list[kept - 1]) list[kept++] = list[i]!;
    list.length = kept;
  }
  return map;
}

/**
 * Adjacency straight from (consumer, producer) pairs — what a store query returns — without
 * kind filtering or a known-node check. Every node named by a pair (plus `extra`) is a node.
 * O(V log V + E log E).
 */
export function adjacencyFromPairs(
  pairs: readonly (readonly [string, string])[],
  extra: readonly string[] = [],
): Adjacency {
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const [from, to] of pairs) {
    const out = forward.get(from);
    if (out) out.push(to);
    else forward.set(from, [to]);
    const into = backward.get(to);
    if (into) into.push(from);
    else backward.set(to, [from]);
  }
  const nodes = new Set(extra);
  for (const id of forward.keys()) nodes.add(id);
  for (const id of backward.keys()) nodes.add(id);
  return { nodes: [...nodes].sort(), dependencies: sortUnique(forward), dependents: sortUnique(backward) };
}

/** Which way a walk follows edges. */
export type Direction = "dependencies" | "dependents";

export function neighbours(adjacency: Adjacency, id: string, direction: Direction): readonly string[] {
  return adjacency[direction].get(id) ?? [];
}
