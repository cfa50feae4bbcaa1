/**
 * Small JSON helpers the builder needs: RFC 6901 pointers and a leaf walk. Kept local to the graph
 * so the builder has no dependency beyond the estate model.
 */
import type { JsonValue } from "../estate/model.js";

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Resolves an RFC 6901 pointer; `undefined` when any step is missing. "" is the whole document. */
export function resolvePointer(document: JsonValue | undefined, pointer: string): JsonValue | undefined {
  if (pointer === "") return document;
  if (!pointer.startsWith("/")) return undefined;
  let current: JsonValue | undefined = document;
  for (const raw of pointer.slice(1).split("/")) {
    const token = unescapePointerToken(raw);
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === "object") {
      current = Object.hasOwn(current, token) ? current[token] : undefined;
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

export interface JsonLeaf {
  pointer: string;
  value: string | number | boolean | null;
}

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
    for (let i = 0; i < value.length; i++) forEachLeaf(value[i] as JsonValue, visit, skip, `${pointer}/${i}`);
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      forEachLeaf(value[key] as JsonValue, visit, skip, `${pointer}/${escapePointerToken(key)}`);
    }
  } else {
    visit(pointer, value);
  }
}
