/** The leaf walk the graph builder's inference runs over every config and runtime. */
import type { JsonValue } from "../estate/model.js";
import { appendPointer } from "../json/pointer.js";

/**
 * Calls `visit` for every scalar in `value` with its pointer, depth-first in key order.
 * `skip(pointer, node)` prunes a subtree (e.g. `$ref` objects, sensitive outputs).
 * O(size of the document); a callback rather than a generator because it runs on every leaf of
 * every config in the estate.
 */
export function forEachLeaf(
  value: JsonValue,
  visit: (pointer: string, leaf: string | number | boolean | null) => void,
  skip: (pointer: string, node: JsonValue) => boolean = () => false,
  pointer = "",
): void {
  if (skip(pointer, value)) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      forEachLeaf(value[i] as JsonValue, visit, skip, appendPointer(pointer, i));
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      forEachLeaf(value[key] as JsonValue, visit, skip, appendPointer(pointer, key));
    }
  } else {
    visit(pointer, value);
  }
}
