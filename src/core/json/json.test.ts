import { describe, expect, it } from "vitest";
import type { JsonValue } from "../estate/model.js";
import { canonicalJson, jsonEqual } from "./canonical.js";
import { createPointerLocator } from "./locate.js";
import { lineColumnAt, MAX_DEPTH, parseJson } from "./parse.js";
import { appendPointer, comparePointers, formatPointer, getAtPointer, parsePointer } from "./pointer.js";

describe("parseJson", () => {
  it("parses valid JSON without problems, ignoring a byte-order mark", () => {
    expect(parseJson('{"a":[1,{"b":null}]}', "f.json")).toEqual({
      value: { a: [1, { b: null }] },
      problems: [],
    });
    expect(parseJson('\ufeff{"a":1}', "f.json").value).toEqual({ a: 1 });
  });

  it.each([
    ['{"a":}', 1, 6, "/a", "expected a value"],
    ['{\n  "a": 1,\n  "b": tru\n}', 3, 8, "/b", "unexpected character"],
    ['{"a":1,}', 1, 7, "/a", "trailing comma"],
    ['{"a":1', 1, 7, "/a", 'expected "}"'],
    ['{"a":1}x', 1, 8, "", "unexpected content"],
    ["// note\n{}", 1, 1, "", "comments are not allowed"],
    ["", 1, 1, "", "empty"],
    ["\ufeff{\n,}", 2, 1, "", "expected"],
  ])("locates malformed %j at %i:%i", (text, line, column, pointer, message) => {
    const { value, problems } = parseJson(text, "iac/dev/x/y/config.json");
    expect(value).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: "json.malformed",
      file: "iac/dev/x/y/config.json",
      line,
      column,
      pointer,
      severity: "error",
    });
    expect(problems[0]!.message).toContain(message);
    expect(problems[0]!.fix).toBeTruthy();
  });

  it("never quotes the file content in the message", () => {
    const { problems } = parseJson('{"password": "hunter2" "x": 1}', "f.json");
    expect(JSON.stringify(problems)).not.toContain("hunter2");
  });

  it("reports every duplicate key with both positions", () => {
    const text = '{\n  "a": 1,\n  "b": {"c": 1, "c": 2},\n  "a": 3,\n  "s": "\\"a\\": 1"\n}';
    const { value, problems } = parseJson(text, "f.json");
    expect(value).toEqual({ a: 3, b: { c: 2 }, s: '"a": 1' });
    expect(problems.map((p) => [p.code, p.pointer, p.line, p.column])).toEqual([
      ["json.duplicate-key", "/b/c", 3, 17],
      ["json.duplicate-key", "/a", 4, 3],
    ]);
    expect(problems[1]!.message).toContain("first at line 2, column 3");
  });

  it("refuses a value nested deeper than MAX_DEPTH with its location, without overflowing the stack", () => {
    const deep = `{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const parsed = parseJson(deep, "f.json");
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        code: "json.too-deep",
        file: "f.json",
        pointer: `/a${"/0".repeat(MAX_DEPTH - 1)}`,
      }),
    ]);
    // the locator used for problem positions gives up instead of throwing on such a file
    expect(createPointerLocator(deep).locate("/a")).toBeUndefined();
    const limit = `${"[".repeat(MAX_DEPTH)}${"]".repeat(MAX_DEPTH)}`;
    expect(parseJson(limit, "f.json").problems).toEqual([]);
    expect(parseJson(`[${limit}]`, "f.json").problems[0]?.code).toBe("json.too-deep");
  });

  it("converts offsets to 1-based line and column", () => {
    expect(lineColumnAt("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});

describe("canonicalJson", () => {
  it("sorts keys recursively and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("is the same whatever the key order or formatting of the source", () => {
    const one = JSON.parse('{"x": 1, "y": [true, null], "é": "ü"}');
    const two = JSON.parse('{"é":"ü","y":[true,null],"x":1.0}');
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(canonicalJson(one)).toBe('{"x":1,"y":[true,null],"é":"ü"}');
  });
});

describe("pointers", () => {
  it("escapes, formats and parses per RFC 6901", () => {
    expect(formatPointer(["a/b", "m~n", 0])).toBe("/a~1b/m~0n/0");
    expect(appendPointer("", "x/y")).toBe("/x~1y");
    expect(parsePointer("/a~1b/m~0n/0")).toEqual(["a/b", "m~n", "0"]);
    expect(parsePointer("")).toEqual([]);
    expect(parsePointer("a")).toBeUndefined();
    expect(parsePointer("/a~2")).toBeUndefined();
  });

  it("reads values", () => {
    const doc = { a: [{ "b/c": 1 }] };
    expect(getAtPointer(doc, "/a/0/b~1c")).toBe(1);
    expect(getAtPointer(doc, "/a/1")).toBeUndefined();
    expect(getAtPointer(doc, "")).toBe(doc);
  });

  it("orders pointers in document order with numeric indices", () => {
    expect(["/a/10", "/b", "/a/2", "", "/a"].sort(comparePointers)).toEqual([
      "",
      "/a",
      "/a/2",
      "/a/10",
      "/b",
    ]);
  });

  it("locates pointers in the source text", () => {
    const locator = createPointerLocator('{\n  "a": [\n    1,\n    {"b": 2}\n  ]\n}');
    expect(locator.locate("/a")).toEqual({ line: 2, column: 3 });
    expect(locator.locate("/a/1/b")).toEqual({ line: 4, column: 6 });
    expect(locator.locate("/nope")).toBeUndefined();
  });
});

describe("jsonEqual", () => {
  const documents: JsonValue[] = [
    null,
    0,
    1,
    "1",
    "",
    true,
    false,
    [],
    {},
    [1, 2],
    [2, 1],
    [1, [2]],
    { a: 1, b: [1, { c: null }] },
    { b: [1, { c: null }], a: 1 },
    { a: 1, b: [1, { c: false }] },
    { a: 1 },
    { a: 1, b: 2 },
    { b: 1 },
    { a: {} },
    { a: [] },
  ];

  it("agrees with comparing canonical JSON on every pair", () => {
    for (const a of documents)
      for (const b of documents)
        expect(jsonEqual(a, b), `${canonicalJson(a)} vs ${canonicalJson(b)}`).toBe(
          canonicalJson(a) === canonicalJson(b),
        );
  });
});
