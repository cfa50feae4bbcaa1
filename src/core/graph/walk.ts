/**
 * Transitive walks with an optional depth bound: breadth-first, so every node is reported at its
 * shortest distance, with the neighbour it was first reached through (smallest id on ties).
 */
import { type Adjacency, type Direction, neighbours } from "./adjacency.js";

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

/** The path from a start to `id` through `via` links: [start, …, id]. O(path length). */
export function pathTo(reached: readonly Reached[], id: string): string[] {
  const via = new Map(reached.map((r) => [r.id, r.via]));
  const path = [id];
  for (let current = via.get(id); current !== undefined; current = via.get(current)) path.push(current);
  return path.reverse();
}
