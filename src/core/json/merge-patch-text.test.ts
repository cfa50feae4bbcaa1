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

  it("a `__proto__` key is a member like any other: added, merged and deleted, never the prototype", () => {
    const text = '{\n  "name": "app"\n}\n';
    const added = applyMergePatchToText(text, JSON.parse(text), JSON.parse('{"__proto__": {"polluted": 1}}'));
    expect(JSON.parse(added)).toEqual(JSON.parse('{"name": "app", "__proto__": {"polluted": 1}}'));
    expect(Object.hasOwn(JSON.parse(added), "__proto__")).toBe(true);
    const fresh = applyMergePatch({ name: "app" }, JSON.parse('{"__proto__": {"polluted": 1}}')) as object;
    expect(Object.getPrototypeOf(fresh)).toBe(Object.prototype);
    expect(JSON.stringify(fresh)).toBe('{"name":"app","__proto__":{"polluted":1}}');
    const value = applyMergePatch(JSON.parse(added), JSON.parse('{"__proto__": {"more": 2}}')) as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"name":"app","__proto__":{"polluted":1,"more":2}}');
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    const removed = applyMergePatchToText(added, JSON.parse(added), JSON.parse('{"__proto__": null}'));
    expect(JSON.parse(removed)).toEqual({ name: "app" });
  });

  it("an object patch over a scalar replaces it without the patch's nulls (RFC 7396)", () => {
    const text = '{\n  "a": 1\n}\n';
    expect(JSON.parse(patchText(text, { a: { x: 1, y: null } }))).toEqual({ a: { x: 1 } });
  });
});
