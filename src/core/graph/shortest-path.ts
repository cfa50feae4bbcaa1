/**
 * Shortest dependency path between two nodes (unweighted BFS, sorted neighbours, so the answer is
 * deterministic when several paths are equally short).
 */
import type { Adjacency, Direction } from "./adjacency.js";
import { neighbours } from "./adjacency.js";

/** [from, …, to] following `direction`, or undefined when `to` is unreachable. O(V + E). */
export function shortestPath(
  adjacency: Adjacency,
  from: string,
  to: string,
  direction: Direction = "dependencies",
): string[] | undefined {
  if (from === to) return [from];
  const parent = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const next of neighbours(adjacency, id, direction)) {
      if (parent.has(next)) continue;
      parent.set(next, id);
      if (next === to) {
        const path = [to];
        for (let p = id; p !== from; p = parent.get(p)!) path.push(p);
        path.push(from);
        return path.reverse();
      }
      queue.push(next);
    }
  }
  return undefined;
}
