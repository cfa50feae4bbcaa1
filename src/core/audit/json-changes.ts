/**
 * Which keys changed between two JSON documents, as JSON pointers — never the values. Objects
 * are compared key by key, recursively; arrays and scalars are leaves (a list that changed is
 * reported once, at its own pointer).
 */
import type { JsonValue } from "../estate/model.js";
import { jsonEqual } from "../json/canonical.js";
import { escapePointerSegment } from "../json/pointer.js";

export interface KeyChanges {
  /** Sorted JSON pointers. */
  added: string[];
  removed: string[];
  changed: string[];
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function leaves(value: JsonValue, pointer: string, out: string[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const key of Object.keys(value)) leaves(value[key]!, `${pointer}/${escapePointerSegment(key)}`, out);
  } else out.push(pointer);
}

function walk(before: JsonValue, after: JsonValue, pointer: string, changes: KeyChanges): void {
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(before)) {
      const here = `${pointer}/${escapePointerSegment(key)}`;
      if (!(key in after)) leaves(before[key]!, here, changes.removed);
      else walk(before[key]!, after[key]!, here, changes);
    }
    for (const key of Object.keys(after))
      if (!(key in before)) leaves(after[key]!, `${pointer}/${escapePointerSegment(key)}`, changes.added);
    return;
  }
  if (!jsonEqual(before, after)) changes.changed.push(pointer);
}

/**
 * Key-level changes from `before` to `after`; `undefined` on either side means the document did
 * not exist (every leaf of the other side is added or removed). O(size of both documents).
 */
export function diffJsonKeys(before: JsonValue | undefined, after: JsonValue | undefined): KeyChanges {
  const changes: KeyChanges = { added: [], removed: [], changed: [] };
  if (before === undefined && after !== undefined) leaves(after, "", changes.added);
  else if (after === undefined && before !== undefined) leaves(before, "", changes.removed);
  else if (before !== undefined && after !== undefined) walk(before, after, "", changes);
  changes.added.sort();
  changes.removed.sort();
  changes.changed.sort();
  return changes;
}
