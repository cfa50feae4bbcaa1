/**
 * Deploy waves: Kahn's algorithm in layers. Wave 0 holds the members of the set with no
 * dependencies on other members; wave n holds those whose member dependencies — direct, or
 * transitive through nodes outside the set — are all in earlier waves. Nodes on or behind a cycle
 * never become ready and are returned apart, never silently dropped.
 */
import type { Adjacency } from "./adjacency.js";

export interface Waves {
  /** Each wave sorted by id; every node of a wave can deploy in parallel. */
  waves: string[][];
  /** Members that cannot be ordered because they are on a cycle or depend on one (sorted). */
  blocked: string[];
}

/**
 * Waves of `ids` (default: every node of the adjacency). The adjacency must contain the
 * dependency closure of the set for transitive ordering to be honoured (a store passes the
 * region its recursive query returned). Each node's rank is the number of members on its longest
 * dependency chain below it; members are grouped by rank. Deterministic. O(V + E) of the closure
 * plus sorting each wave.
 */
export function deployWaves(adjacency: Adjacency, ids?: Iterable<string>): Waves {
  const members = new Set(ids ?? adjacency.nodes);
  // the dependency closure of the members: only it matters for their order
  const closure = new Set<string>();
  const stack = [...members];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (closure.has(id)) continue;
    closure.add(id);
    for (const d of adjacency.dependencies.get(id) ?? []) if (!closure.has(d)) stack.push(d);
  }
  const pending = new Map<string, number>();
  for (const id of closure)
    pending.set(id, (adjacency.dependencies.get(id) ?? []).filter((d) => closure.has(d)).length);
  const rank = new Map<string, number>();
  let ready = [...pending].filter(([, n]) => n === 0).map(([id]) => id);
  for (const id of ready) rank.set(id, 0);
  while (ready.length > 0) {
    const next: string[] = [];
    for (const id of ready) {
      pending.delete(id);
      const passOn = rank.get(id)! + (members.has(id) ? 1 : 0);
      for (const dependent of adjacency.dependents.get(id) ?? []) {
        if (!pending.has(dependent)) continue;
        rank.set(dependent, Math.max(rank.get(dependent) ?? 0, passOn));
        const left = pending.get(dependent)! - 1;
        pending.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    ready = next;
  }
  const waves: string[][] = [];
  for (const id of members) {
    if (pending.has(id) || !rank.has(id)) continue;
    const r = rank.get(id)!;
    while (waves.length <= r) waves.push([]);
    waves[r]!.push(id);
  }
  for (const wave of waves) wave.sort();
  return { waves, blocked: [...members].filter((id) => pending.has(id)).sort() };
}
