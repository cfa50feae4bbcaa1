import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "../estate/model.js";
import { applyMergePatch } from "../planning/merge-patch.js";
import { applyMergePatchToText } from "./merge-patch-text.js";

/** The text edit must always agree with the value-level merge patch. */
function patchText(text: string, patch: JsonObject): string {
  const current = JSON.parse(text) as JsonObject;
  const out = applyMergePatchToText(text, current, patch);
  expect(JSON.parse(out)).toEqual(applyMergePatch(current, patch as JsonValue));
  return out;
}

describe("applyMergePatchToText", () => {
  it("edits only the changed keys: order, 4-space indentation and compact arrays are kept", () => {
    const text = [
      "{",
      '    "zeta": 1,',
      '    "tags": [1, 2, 3],',
      '    "nested": {"a": 1, "b": 2},',
      '    "alpha": "x"',
      "}",
      "",
    ].join("\n");
    expect(patchText(text, { zeta: 2 })).toBe(text.replace('"zeta": 1', '"zeta": 2'));
    expect(patchText(text, { nested: { b: 3 } })).toBe(text.replace('"b": 2', '"b": 3'));
    expect(patchText(text, { tags: null })).toBe(text.replace('    "tags": [1, 2, 3],\n', ""));
    expect(patchText(text, { alpha: null })).toBe(
      ["{", '    "zeta": 1,', '    "tags": [1, 2, 3],', '    "nested": {"a": 1, "b": 2}', "}", ""].join("\n"),
    );
  });

  it("adds a key with the file's own indentation and line endings (tabs, CRLF)", () => {
    const text = '{\r\n\t"a": 1\r\n}\r\n';
    expect(patchText(text, { b: { c: true } })).toBe(
      '{\r\n\t"a": 1,\r\n\t"b": {\r\n\t\t"c": true\r\n\t}\r\n}\r\n',
    );
  });

  it("a patch that restates values, or deletes absent keys, leaves the text byte for byte", () => {
    const text = '{ "a": {"b": [1,2]},  "c": "d" }\n';
    expect(patchText(text, { a: { b: [1, 2] }, c: "d", missing: null })).toBe(text);
  });

  it("an object patch over a scalar replaces it without the patch's nulls (RFC 7396)", () => {
    const text = '{\n  "a": 1\n}\n';
    expect(JSON.parse(patchText(text, { a: { x: 1, y: null } }))).toEqual({ a: { x: 1 } });
  });
});
