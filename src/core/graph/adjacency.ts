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
  const nodes = [...new Set(nodeIds)].sort();
  const known = new Set(nodes);
  const forward = new Map<string, Set<string>>();
  const backward = new Map<string, Set<string>>();
  for (const id of nodes) {
    forward.set(id, new Set());
    backward.set(id, new Set());
  }
  for (const edge of edges) {
    if (edge.kind !== undefined && !kinds.includes(edge.kind)) continue;
    if (!known.has(edge.from) || !known.has(edge.to)) continue;
    forward.get(edge.from)!.add(edge.to);
    backward.get(edge.to)!.add(edge.from);
  }
  const freeze = (m: Map<string, Set<string>>) =>
    new Map([...m].map(([id, set]) => [id, [...set].sort()] as const));
  return { nodes, dependencies: freeze(forward), dependents: freeze(backward) };
}

/** Which way a walk follows edges. */
export type Direction = "dependencies" | "dependents";

export function neighbours(adjacency: Adjacency, id: string, direction: Direction): readonly string[] {
  return adjacency[direction].get(id) ?? [];
}
