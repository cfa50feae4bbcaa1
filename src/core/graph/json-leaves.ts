/** The leaf walk the graph builder's inference runs over every config and runtime. */
import type { JsonObject, JsonValue } from "../estate/model.js";
import type { PointerSegment } from "../json/pointer.js";

/**
 * Where the walk is: the keys and array indices from the root to the current node. One array,
 * changed as the walk goes on — valid only during the callback; `formatPointer(path)` makes a
 * pointer of it when a caller keeps one.
 */
export type LeafPath = readonly PointerSegment[];

/** What a walk does: one object per kind of walk, its state in fields rather than in closures. */
export interface LeafVisitor {
  /** Called for every scalar with its path. */
  leaf(value: string | number | boolean | null, path: LeafPath): void;
  /** True to leave out an object (never an array) and everything in it (e.g. `$ref` objects). */
  skipObject(node: JsonObject): boolean;
  /** True to leave out the value under an object key (e.g. a secret-looking key). */
  skipKey(key: string): boolean;
}

/**
 * Calls `visitor.leaf` for every scalar in `value` with its path, depth-first in key order.
 * O(size of the document). It runs on every leaf of every config and runtime in the estate, so
 * it makes no pointer string per node (most leaves are never reported), no closure per document
 * and no key list per object (`for…in` visits own keys in `Object.keys` order; parsed JSON has no
 * inherited enumerable keys). `path` is the caller's, empty, and empty again on return.
 */
export function forEachLeaf(value: JsonValue, visitor: LeafVisitor, path: PointerSegment[] = []): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      forEachLeaf(value[i]!, visitor, path);
      path.pop();
    }
  } else if (value !== null && typeof value === "object") {
    if (visitor.skipObject(value)) return;
    for (const key in value) {
      if (visitor.skipKey(key)) continue;
      path.push(key);
      forEachLeaf(value[key]!, visitor, path);
      path.pop();
    }
  } else {
    visitor.leaf(value, path);
  }
}
