/**
 * Transitive walks with an optional depth bound: breadth-first, so every node is reported at its
 * shortest distance, with the neighbour it was first reached through (smallest id on ties).
 */
import { type Adjacency, adjacencyFromPairs, type Direction, neighbours } from "./adjacency.js";

export interface Reached {
  id: string;
  /** Number of edges from the nearest start node (≥ 1). */
  depth: number;
  /** The node this one was reached from on a shortest path. */
  via: string;
}

/**
 * Every node reachable from `starts` in `direction`, excluding the starts themselves unless they
 * are reachable from another start (they are not reported: a start is depth 0 by definition).
 * `maxDepth` undefined = unbounded. Sorted by depth then id. O(V + E) with one shared visited set.
 */
export function walk(
  adjacency: Adjacency,
  starts: readonly string[],
  direction: Direction,
  maxDepth?: number,
): Reached[] {
  const seen = new Set(starts);
  const reached: Reached[] = [];
  let frontier = [...new Set(starts)].sort();
  for (let depth = 1; frontier.length > 0 && (maxDepth === undefined || depth <= maxDepth); depth++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const to of neighbours(adjacency, id, direction)) {
        if (seen.has(to)) continue;
        seen.add(to);
        next.push(to);
        reached.push({ id: to, depth, via: id });
      }
    }
    frontier = next.sort();
  }
  return reached.sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Shortest paths for every reached node: [start, …, id]. Shares prefixes through a memo, so
 * the whole set costs O(total path length) rather than a lookup table per node.
 */
export function pathsTo(reached: readonly Reached[]): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  // reached is sorted by depth, so a node's `via` is either a start or already has its path
  for (const r of reached) {
    const parent = paths.get(r.via);
    paths.set(r.id, parent ? [...parent, r.id] : [r.via, r.id]);
  }
  return paths;
}

/** The path from a start to `id` through `via` links: [start, …, id]. O(reached). */
export function pathTo(reached: readonly Reached[], id: string): string[] {
  return pathsTo(reached).get(id) ?? [id];
}

export interface ReachedWithPath {
  id: string;
  depth: number;
  /** Shortest path [start, …, id]. */
  path: string[];
}

/**
 * The walk over a region's links (consumer → producer pairs that a store fetched around
 * `starts`): depths and shortest paths, sorted by depth then id. Every graph store answers
 * `dependencies` / `dependents` through this, whatever query fetched the region.
 */
export function walkLinks(
  links: readonly (readonly [string, string])[],
  starts: readonly string[],
  direction: Direction,
  maxDepth?: number,
): ReachedWithPath[] {
  const reached = walk(adjacencyFromPairs(links, starts), starts, direction, maxDepth);
  const paths = pathsTo(reached);
  return reached.map((r) => ({ id: r.id, depth: r.depth, path: paths.get(r.id)! }));
}
