/**
 * A JSON Merge Patch (RFC 7396) applied to a file's text rather than to its value: only the keys
 * the patch changes are edited (jsonc-parser's `modify`/`applyEdits`), so the rest of the file
 * keeps its order, indentation, line endings and spacing, and a reviewer's diff shows just the
 * change. Values are compared by `jsonEqual` (equal canonical JSON), so a patch that restates a value edits nothing.
 */
import jsonc from "jsonc-parser";
import type { JsonObject, JsonValue } from "../estate/model.js";
import { applyMergePatch } from "../planning/merge-patch.js";
import { jsonEqual } from "./canonical.js";

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value);
}

/** The file's own indentation and line ending, so inserted values look like their neighbours. */
function formattingOf(text: string): jsonc.FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ";
  return {
    insertSpaces: !indent.startsWith("\t"),
    tabSize: indent.startsWith("\t") ? 1 : indent.length,
    eol: text.includes("\r\n") ? "\r\n" : "\n",
  };
}

/**
 * `text` (a JSON object document whose parsed value is `current`) with `patch` applied, edited
 * in place. The caller checks that the patch leaves an object (a non-object patch replaces the
 * whole document and has no text to keep). O(size of the patch × size of the text).
 */
export function applyMergePatchToText(text: string, current: JsonObject, patch: JsonObject): string {
  const formattingOptions = formattingOf(text);
  // a removal is not formatted: jsonc would reformat the neighbouring member along with it
  const edit = (doc: string, path: string[], value: JsonValue | undefined) =>
    jsonc.applyEdits(doc, jsonc.modify(doc, path, value, value === undefined ? {} : { formattingOptions }));
  let out = text;
  const visit = (path: string[], before: JsonObject, changes: JsonObject) => {
    for (const key of Object.keys(changes)) {
      const value = changes[key]!;
      const old = Object.hasOwn(before, key) ? before[key] : undefined;
      if (value === null) {
        if (old !== undefined) out = edit(out, [...path, key], undefined);
        continue;
      }
      if (isObject(value) && isObject(old)) {
        visit([...path, key], old, value);
        continue;
      }
      // a new or replaced value (an object patch on a non-object target drops its nulls)
      const next = applyMergePatch(old, value);
      if (old !== undefined && jsonEqual(old, next)) continue;
      out = edit(out, [...path, key], next);
    }
  };
  visit([], current, patch);
  return out;
}
