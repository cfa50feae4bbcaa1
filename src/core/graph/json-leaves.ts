/** The leaf walk the graph builder's inference runs over every config and runtime. */
import type { JsonValue } from "../estate/model.js";
import type { PointerSegment } from "../json/pointer.js";

/**
 * Where the walk is: the keys and array indices from the root to the current node. One array,
 * changed as the walk goes on — valid only during the callback; `formatPointer(path)` makes a
 * pointer of it when a caller keeps one.
 */
export type LeafPath = readonly PointerSegment[];

/**
 * Calls `visit` for every scalar in `value` with its path, depth-first in key order.
 * `skip(node, path)` prunes a subtree (e.g. `$ref` objects, sensitive outputs).
 * O(size of the document). It runs on every leaf of every config and runtime in the estate, so
 * it makes no pointer string per node (most leaves are never reported) and is a callback rather
 * than a generator.
 */
export function forEachLeaf(
  value: JsonValue,
  visit: (leaf: string | number | boolean | null, path: LeafPath) => void,
  skip: (node: JsonValue, path: LeafPath) => boolean = () => false,
): void {
  const path: PointerSegment[] = [];
  const walk = (node: JsonValue): void => {
    if (skip(node, path)) return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        walk(node[i] as JsonValue);
        path.pop();
      }
    } else if (node !== null && typeof node === "object") {
      for (const key of Object.keys(node)) {
        path.push(key);
        walk(node[key] as JsonValue);
        path.pop();
      }
    } else {
      visit(node, path);
    }
  };
  walk(value);
}
