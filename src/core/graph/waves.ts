/**
 * Deploy waves: Kahn's algorithm in layers. Wave 0 holds the nodes of the set with no
 * dependencies inside the set; wave n holds those whose dependencies are all in earlier waves.
 * Nodes on or behind a cycle never become ready and are returned apart, never silently dropped.
 */
import type { Adjacency } from "./adjacency.js";

export interface Waves {
  /** Each wave sorted by id; every node of a wave can deploy in parallel. */
  waves: string[][];
  /** Nodes that cannot be ordered because they are on a cycle or depend on one (sorted). */
  blocked: string[];
}

/**
 * Waves of `ids` (default: every node), considering only edges between members of the set.
 * Deterministic. O(V + E) plus sorting each wave.
 */
export function deployWaves(adjacency: Adjacency, ids?: Iterable<string>): Waves {
  const members = new Set(ids ?? adjacency.nodes);
  const remaining = new Map<string, number>();
  for (const id of members) {
    const inside = (adjacency.dependencies.get(id) ?? []).filter((d) => members.has(d) && d !== id);
    const selfLoop = (adjacency.dependencies.get(id) ?? []).includes(id);
    remaining.set(id, inside.length + (selfLoop ? 1 : 0));
  }
  const waves: string[][] = [];
  let ready = [...remaining].filter(([, n]) => n === 0).map(([id]) => id);
  while (ready.length > 0) {
    ready.sort();
    waves.push(ready);
    const next: string[] = [];
    for (const id of ready) {
      remaining.delete(id);
      for (const dependent of adjacency.dependents.get(id) ?? []) {
        if (!remaining.has(dependent) || dependent === id) continue;
        const left = remaining.get(dependent)! - 1;
        remaining.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    ready = next;
  }
  return { waves, blocked: [...remaining.keys()].sort() };
}
