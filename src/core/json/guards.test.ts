import { describe, expect, it } from "vitest";
import { isJsonObject, isJsonValue } from "./guards.js";

describe("JSON guards", () => {
  it("accept whatever JSON.parse returns", () => {
    const parsed: unknown = JSON.parse('{"a":[1,"x",true,null,{"b":{}}],"c":-0.5}');
    expect(isJsonValue(parsed)).toBe(true);
    expect(isJsonObject(parsed)).toBe(true);
    expect(isJsonValue(JSON.parse("3"))).toBe(true);
  });

  it("refuse what JSON cannot hold, however deep", () => {
    expect(isJsonValue(undefined)).toBe(false);
    expect(isJsonValue({ a: [1, undefined] })).toBe(false);
    expect(isJsonValue({ a: { b: Number.NaN } })).toBe(false);
    expect(isJsonValue({ a: () => 1 })).toBe(false);
    expect(isJsonValue(new Date(0))).toBe(false);
    expect(isJsonObject([1])).toBe(false);
    expect(isJsonObject("x")).toBe(false);
  });
});
