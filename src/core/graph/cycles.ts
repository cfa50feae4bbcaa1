/**
 * Cycles: Tarjan's strongly connected components, then one full cycle path per component, rotated
 * to start at its smallest id so reports are stable across runs.
 */
import type { Adjacency } from "./adjacency.js";

export interface Cycle {
  /** [start, …, start]: starts (and ends) at the smallest id of the component. */
  path: string[];
  /** Every node of the strongly connected component, sorted. */
  members: string[];
}

/** What the cycle search reads of an adjacency: the builder makes just this much. */
export type DependencyLists = Pick<Adjacency, "nodes" | "dependencies">;

/**
 * Strongly connected components with more than one node, or a single node with a self-loop.
 * Iterative Tarjan (no recursion, so deep chains cannot overflow the stack). O(V + E).
 * Components are returned sorted by their smallest member; members are sorted.
 * Per-node state lives in arrays indexed by visit order: one map lookup per edge, not four.
 */
export function cyclicComponents(adjacency: DependencyLists): string[][] {
  const index = new Map<string, number>(); // node → visit order
  const ids: string[] = []; // visit order → node
  const lowlink: number[] = [];
  const onStack: boolean[] = [];
  const stack: number[] = [];
  const result: string[][] = [];
  const NONE: readonly string[] = [];
  // explicit DFS frames: node (visit order), its neighbour list and the position in it
  const frameNode: number[] = [];
  const frameOut: (readonly string[])[] = [];
  const frameNext: number[] = [];
  const visit = (id: string): void => {
    const n = ids.length;
    index.set(id, n);
    ids.push(id);
    lowlink.push(n);
    onStack.push(true);
    stack.push(n);
    frameNode.push(n);
    frameOut.push(adjacency.dependencies.get(id) ?? NONE);
    frameNext.push(0);
  };

  for (const root of adjacency.nodes) {
    if (index.has(root)) continue;
    visit(root);
    while (frameNode.length > 0) {
      const top = frameNode.length - 1;
      const n = frameNode[top]!;
      const out = frameOut[top]!;
      if (frameNext[top]! < out.length) {
        const to = out[frameNext[top]!++]!;
        const m = index.get(to);
        if (m === undefined) visit(to);
        else if (onStack[m]) lowlink[n] = Math.min(lowlink[n]!, m);
        continue;
      }
      frameNode.pop();
      frameOut.pop();
      frameNext.pop();
      if (top > 0) {
        const parent = frameNode[top - 1]!;
        lowlink[parent] = Math.min(lowlink[parent]!, lowlink[n]!);
      }
      if (lowlink[n] === n) {
        const members: string[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = false;
          members.push(ids[member]!);
        } while (member !== n);
        const selfLoop = members.length === 1 && out.includes(ids[n]!);
        if (members.length > 1 || selfLoop) result.push(members.sort());
      }
    }
  }
  return result.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

/**
 * Every cyclic component with one shortest cycle through its smallest member (BFS inside the
 * component, neighbours in sorted order, so the path is deterministic). O(V + E).
 */
export function findCycles(adjacency: DependencyLists): Cycle[] {
  return cyclicComponents(adjacency).map((members) => {
    const start = members[0]!;
    const inside = new Set(members);
    const parent = new Map<string, string>();
    const queue = [start];
    let closing: string | undefined;
    for (let head = 0; head < queue.length && closing === undefined; head++) {
      const id = queue[head]!;
      for (const to of adjacency.dependencies.get(id) ?? []) {
        if (!inside.has(to)) continue;
        if (to === start) {
          closing = id;
          break;
        }
        if (!parent.has(to)) {
          parent.set(to, id);
          queue.push(to);
        }
      }
    }
    // walk back from the node that closes the cycle
    const reversed = [start];
    for (let id = closing!; id !== start; id = parent.get(id)!) reversed.push(id);
    reversed.push(start);
    return { path: reversed.reverse(), members };
  });
}

/**
 * True when the directed graph on nodes `0 … count-1` with edges `from[i] → to[i]` has no cycle
 * (self-loops are cycles): Kahn's topological pass over typed arrays, no map. O(V + E).
 */
export function isAcyclic(count: number, from: readonly number[], to: readonly number[]): boolean {
  // edges grouped by their from node (compressed rows), and each node's in-degree
  const start = new Int32Array(count + 1);
  const inDegree = new Int32Array(count);
  for (let i = 0; i < from.length; i++) {
    start[from[i]! + 1]!++;
    inDegree[to[i]!]!++;
  }
  for (let n = 0; n < count; n++) start[n + 1]! += start[n]!;
  const next = start.slice(0, count);
  const targets = new Int32Array(from.length);
  for (let i = 0; i < from.length; i++) targets[next[from[i]!]!++] = to[i]!;
  const ready = new Int32Array(count);
  let tail = 0;
  for (let n = 0; n < count; n++) if (inDegree[n] === 0) ready[tail++] = n;
  for (let head = 0; head < tail; head++) {
    const n = ready[head]!;
    for (let e = start[n]!; e < start[n + 1]!; e++)
      if (--inDegree[targets[e]!]! === 0) ready[tail++] = targets[e]!;
  }
  return tail === count;
}
