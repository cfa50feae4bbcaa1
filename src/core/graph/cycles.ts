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

/**
 * Strongly connected components with more than one node, or a single node with a self-loop.
 * Iterative Tarjan (no recursion, so deep chains cannot overflow the stack). O(V + E).
 * Components are returned sorted by their smallest member; members are sorted.
 */
export function cyclicComponents(adjacency: Adjacency): string[][] {
  const index = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;

  for (const root of adjacency.nodes) {
    if (index.has(root)) continue;
    // explicit DFS frames: node and the position in its neighbour list
    const frames: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    index.set(root, counter);
    lowlink.set(root, counter);
    counter++;
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const out = adjacency.dependencies.get(frame.id) ?? [];
      if (frame.next < out.length) {
        const to = out[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          lowlink.set(to, counter);
          counter++;
          stack.push(to);
          onStack.add(to);
          frames.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          lowlink.set(frame.id, Math.min(lowlink.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) lowlink.set(parent.id, Math.min(lowlink.get(parent.id)!, lowlink.get(frame.id)!));
      if (lowlink.get(frame.id) === index.get(frame.id)) {
        const members: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          members.push(member);
        } while (member !== frame.id);
        const selfLoop = members.length === 1 && out.includes(frame.id);
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
export function findCycles(adjacency: Adjacency): Cycle[] {
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
