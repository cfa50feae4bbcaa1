/**
 * JSON Merge Patch (RFC 7396): the format of a change request's `proposed_change`. An object
 * patch merges key by key, `null` deletes a key, anything else (arrays included) replaces.
 */
import type { JsonValue } from "../estate/model.js";

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * `target` with `patch` applied; neither input is modified. O(size of the patch). Keys are own
 * data properties, as JSON.parse makes them: a `__proto__` key is a member like any other, not
 * the object's prototype (an assignment would set the prototype, or drop the member silently).
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return patch;
  const result: { [key: string]: JsonValue } = isObject(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key]!;
    if (value === null) delete result[key];
    else {
      const old = Object.hasOwn(result, key) ? result[key] : undefined;
      Object.defineProperty(result, key, {
        value: applyMergePatch(old, value),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
  return result;
}
